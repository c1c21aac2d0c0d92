"""Bytes sealed with a passphrase (the sync folder's change files of an encrypted diary)."""

from __future__ import annotations

import pytest

from companion.errors import DataError, WrongPassphrase
from companion.sealed import MAGIC, is_sealed, seal, unseal

TEXT = "2026-11-21,pain 6,SECRETNOTE à la plage ✓".encode()


def test_sealed_bytes_open_with_the_passphrase_and_hide_the_text() -> None:
    sealed = seal(TEXT, "a passphrase")
    assert is_sealed(sealed) and sealed.startswith(MAGIC)
    assert b"SECRETNOTE" not in sealed
    assert unseal(sealed, "a passphrase") == TEXT


def test_every_seal_has_its_own_salt_and_nonce() -> None:
    first, second = seal(TEXT, "a passphrase"), seal(TEXT, "a passphrase")
    header = len(MAGIC) + 16 + 12
    assert first[len(MAGIC) : len(MAGIC) + 16] != second[len(MAGIC) : len(MAGIC) + 16]
    assert first[header:] != second[header:]


def test_a_wrong_passphrase_says_so_in_one_line() -> None:
    sealed = seal(TEXT, "a passphrase")
    with pytest.raises(WrongPassphrase) as caught:
        unseal(sealed, "another passphrase", "sync/change-1")
    assert str(caught.value).startswith("sync/change-1: the passphrase is wrong")
    assert "SECRETNOTE" not in str(caught.value)


@pytest.mark.parametrize("where", [len(MAGIC) - 1, len(MAGIC) + 3, len(MAGIC) + 20, -1, -20])
def test_any_changed_byte_is_refused(where: int) -> None:
    sealed = bytearray(seal(TEXT, "a passphrase"))
    sealed[where] ^= 0x01
    with pytest.raises(DataError):
        unseal(bytes(sealed), "a passphrase")


def test_a_cut_file_or_one_never_sealed_is_refused() -> None:
    sealed = seal(TEXT, "a passphrase")
    with pytest.raises(DataError, match="cut short"):
        unseal(sealed[: len(MAGIC) + 30], "a passphrase")
    with pytest.raises(DataError, match="not a file sealed"):
        unseal(TEXT, "a passphrase")
    with pytest.raises(WrongPassphrase):
        unseal(sealed[:-1], "a passphrase")


def test_an_empty_passphrase_seals_nothing() -> None:
    with pytest.raises(ValueError):
        seal(TEXT, "")


def test_empty_content_round_trips() -> None:
    assert unseal(seal(b"", "a passphrase"), "a passphrase") == b""
