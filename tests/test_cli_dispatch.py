"""``companion log`` builds the parsers of its own module only: the map from command to
module must name every command where it is registered, and the shortcut must never change
what a command line means."""

from __future__ import annotations

import argparse
import importlib

import pytest

from companion.__main__ import COMMAND_MODULES, COMMANDS, build_parser, command_word


def registered(module_name: str) -> set[str]:
    module = importlib.import_module(f"companion.commands.{module_name}")
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    module.add_parsers(sub, argparse.ArgumentParser(add_help=False))
    return set(sub.choices)


def test_every_command_is_mapped_to_the_module_that_registers_it() -> None:
    for name in COMMAND_MODULES:
        assert {c for c, m in COMMANDS.items() if m == name} == registered(name), name


@pytest.mark.parametrize(
    ("argv", "word"),
    [
        (["log", "--pain", "3"], "log"),
        (["--home", "list", "log"], "log"),  # a folder named like a command
        (["--home=x", "list"], "list"),
        (["--demo", "alerts"], "alerts"),
        (["--ho", "x", "log"], None),  # an abbreviation: argparse decides
        (["--help"], None),
        (["--", "log"], None),
        ([], None),
    ],
)
def test_the_command_word_is_read_only_when_unambiguous(argv: list[str], word: str | None) -> None:
    assert command_word(argv) == word


@pytest.mark.parametrize(
    "argv",
    [
        ["--home", "h", "log", "--pain", "3", "--notes", "list"],
        ["--home", "list", "export", "--csv", "-"],
        ["--home", "h", "restore", "x.sqlite3"],
    ],
)
def test_the_shortcut_parses_as_the_full_parser_does(argv: list[str]) -> None:
    full = vars(build_parser().parse_args(argv))
    quick = vars(build_parser(command_word(argv)).parse_args(argv))
    assert quick == full
