"""``companion encrypt`` and ``companion decrypt``: the diary under a passphrase, and back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from companion.entry import entries_text
from companion.errors import UsageError
from companion.terminal import safe_text

WARNING = (
    "Encrypting the diary and its backups with a passphrase. Keep the passphrase somewhere "
    "safe: if it is forgotten, the diary cannot be opened again, by you or by anyone, and "
    "there is no way to recover it. Exports (CSV, summary) stay unencrypted."
)


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    enc = sub.add_parser(
        "encrypt",
        parents=[common],
        help="encrypt the diary and its backups with a passphrase (needs companion[encrypt])",
        description=(
            "Back up the diary, then turn it and every backup beside it into an encrypted "
            "database (SQLCipher 4), checking that every entry is there afterwards. The "
            "passphrase is asked twice on the terminal, or read from --passphrase-file FILE "
            "or COMPANION_PASSPHRASE_FILE. A forgotten passphrase cannot be recovered."
        ),
    )
    enc.add_argument(
        "--keyring",
        action="store_true",
        help="also keep the passphrase in the system keyring, so it is not asked again",
    )
    enc.add_argument(
        "--nudge-date",
        action="store_true",
        help="keep the date of the latest entry (only that) unencrypted beside the diary, so "
        "that 'companion nudge' can tell whether you logged today",
    )
    enc.set_defaults(func=cmd_encrypt)

    dec = sub.add_parser(
        "decrypt",
        parents=[common],
        help="turn an encrypted diary and its backups back into plain SQLite files",
        description=(
            "Back up the diary, then turn it and every backup beside it back into plain "
            "SQLite files, checking that every entry is there afterwards."
        ),
    )
    dec.set_defaults(func=cmd_decrypt)


def cmd_encrypt(args: argparse.Namespace) -> int:
    from companion import passphrase
    from companion.paths import home_dir
    from companion.store import cipher, encryption

    if not cipher.available():
        raise UsageError(f"encryption is not installed; run: {cipher.INSTALL}")
    home = home_dir(getattr(args, "home", None))
    already = encryption.is_encrypted(home)
    if not already:
        print(WARNING, file=sys.stderr)
    chosen = passphrase.known(home)
    if chosen is None:
        chosen = passphrase.ask(twice=not already)
    result = encryption.convert(home, None, chosen)
    if args.keyring:
        passphrase.keep_in_keyring(home, chosen)
    if result.converted:
        print(
            f"Encrypted the diary ({entries_text(result.entries)}, every one checked)"
            f"{_backups(result.backups)}."
        )
    else:
        print(f"The diary was already encrypted{_backups(result.backups)}.")
    if args.keyring:
        print("The passphrase is kept in the system keyring.")
    if args.nudge_date:
        from companion.paths import LAST_DATE_FILE
        from companion.store import Store

        with Store.open(home, passphrase=chosen) as store:
            store.keep_last_date(home / LAST_DATE_FILE)
        print(
            f"The date of your latest entry is kept unencrypted in {home / LAST_DATE_FILE} "
            "for 'companion nudge'; delete that file to stop."
        )
    return _left(result.left)


def cmd_decrypt(args: argparse.Namespace) -> int:
    from companion import passphrase
    from companion.paths import home_dir
    from companion.store import cipher, encryption

    if not cipher.available():
        raise UsageError(f"encryption is not installed; run: {cipher.INSTALL}")
    home = home_dir(getattr(args, "home", None))
    if not encryption.is_encrypted(home) and not encryption.backups_in(home, plain=False):
        print("The diary is not encrypted; nothing was changed.")
        return 0
    chosen = passphrase.for_diary(home)
    result = encryption.convert(home, chosen, None)
    passphrase.forget_keyring(home)
    from companion.paths import LAST_DATE_FILE

    # A plain diary is read by the nudge itself.
    (home / LAST_DATE_FILE).unlink(missing_ok=True)
    if result.converted:
        print(
            f"Decrypted the diary ({entries_text(result.entries)}, every one checked)"
            f"{_backups(result.backups)}; it is a plain SQLite file again."
        )
    else:
        print(f"The diary was not encrypted{_backups(result.backups)}.")
    return _left(result.left)


def _backups(count: int) -> str:
    if not count:
        return ""
    return f" and {count} backup{'s' if count != 1 else ''}"


def _left(left: list[Path]) -> int:
    if not left:
        return 0
    names = ", ".join(safe_text(p.name) for p in left)
    print(
        f"companion: {len(left)} backup(s) could not be converted (damaged, or kept with "
        f"another passphrase) and were left as they are: {names}",
        file=sys.stderr,
    )
    return 1
