"""Bytes sealed with the diary's passphrase, for files that leave the diary's folder (the
change files of a sync folder): AES-256-GCM, which also tells a changed file from a good one.

A sealed file is ``MAGIC``, a random 16-byte salt, a random 12-byte nonce, then the
ciphertext with its 16-byte tag. The key is derived from the passphrase and that file's salt
with scrypt (n=2**15, r=8, p=1: about 50-100 ms and 32 MiB, deliberately slow to guess), so
no two files share a key, and the header is authenticated with the content: a file whose
salt, nonce, version or content was changed does not open.
"""

from __future__ import annotations

import os

from companion.errors import DataError, WrongPassphrase

MAGIC = b"companion-sealed-1\n"
_SALT = 16
_NONCE = 12
_TAG = 16
_SCRYPT_N = 2**15
_SCRYPT_R = 8
_SCRYPT_P = 1


def _key(passphrase: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    kdf = Scrypt(salt=salt, length=32, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    return kdf.derive(passphrase.encode("utf-8"))


def seal(data: bytes, passphrase: str) -> bytes:
    """``data`` encrypted and authenticated under ``passphrase``, with a fresh salt and nonce."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not passphrase:
        raise ValueError("an empty passphrase seals nothing")
    salt, nonce = os.urandom(_SALT), os.urandom(_NONCE)
    header = MAGIC + salt + nonce
    return header + AESGCM(_key(passphrase, salt)).encrypt(nonce, data, header)


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def unseal(data: bytes, passphrase: str, where: str = "the file") -> bytes:
    """The bytes sealed in ``data``. A wrong passphrase or a changed file raises
    WrongPassphrase (one line, naming ``where``); a file that is not sealed, DataError."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not is_sealed(data):
        raise DataError(f"{where}: not a file sealed by companion (or from a newer version)")
    header_end = len(MAGIC) + _SALT + _NONCE
    if len(data) < header_end + _TAG:
        raise DataError(f"{where}: the sealed file is cut short")
    salt = data[len(MAGIC) : len(MAGIC) + _SALT]
    nonce = data[len(MAGIC) + _SALT : header_end]
    try:
        return AESGCM(_key(passphrase, salt)).decrypt(nonce, data[header_end:], data[:header_end])
    except InvalidTag:
        raise WrongPassphrase(
            f"{where}: the passphrase is wrong, or the file was changed after it was sealed"
        ) from None
