"""The errors the command line turns into one line and an exit code."""

from __future__ import annotations


class CompanionError(Exception):
    """A problem to show the person in one line; never carries diary text."""

    exit_code = 1


class UsageError(CompanionError):
    """The command was given wrongly (exit 2)."""

    exit_code = 2


class DataError(CompanionError):
    """The data is wrong or cannot be read or written (exit 1)."""

    exit_code = 1


class StoreError(DataError):
    """The diary file cannot be opened, read or written."""


class WrongPassphrase(DataError):
    """The passphrase does not open an encrypted diary or a sealed file."""


class UnreadableDiary(StoreError):
    """The file where the diary belongs is not one this program can use: damaged, another
    program's database, laid out otherwise, or from a newer version. (A restore moves it
    into the backups folder; a busy or read-only diary is never moved.)"""
