"""What may reach a terminal: stored or typed text never arrives as a control sequence.

A note holding ``ESC ] 2 ; … ESC \\`` would retitle the terminal, OSC 52 would write the
clipboard, a C1 ``CSI`` or ``ESC [`` recolours or moves the cursor, and the characters that
override or isolate text direction make text read differently from what it holds. Text fields
refuse them when typed (``entry.parse_value``); everything printed from the diary or from the
command line goes through ``safe_text`` anyway, for diaries written before or by other tools.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import io
import os
import re
import sys
from collections.abc import Iterator

TYPE_CHECKING = False  # not typing's: importing typing slows every ``companion log``
if TYPE_CHECKING:
    from typing import TextIO

# C0 controls, DEL, C1 controls; the bidi embeddings, overrides and isolates (U+202A-U+202E,
# U+2066-U+2069); and lone surrogates (undecodable bytes from the command line). Every one of
# them is "not printable" to Python, so printable text (nearly all of it) is let through by
# one fast call, and the pattern, which takes a moment to compile, is made when first needed.
_UNSAFE = "\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@functools.cache
def _unsafe_re() -> re.Pattern[str]:
    return re.compile(f"[{_UNSAFE}]")


def unsafe_char(text: str, allowed: str = "") -> str | None:
    """The first character of ``text`` that must not reach a terminal, ignoring ``allowed``."""
    if text.isprintable():
        return None
    for match in _unsafe_re().finditer(text):
        if match.group() not in allowed:
            return match.group()
    return None


def describe_unsafe(char: str) -> str:
    """What the character is, in words, with its code point (never the text around it)."""
    kind = "a text-direction control" if char in _BIDI else "a control character"
    return f"contains {kind} (U+{ord(char):04X})"


def _escaped(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as the shell gave it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe_text(text: str, allowed: str = "") -> str:
    """``text`` with every unsafe character (except ``allowed``) shown as an escape: ``\\x1b``.

    The escapes are plain ASCII, so the person sees that something odd was there and what,
    and the terminal receives nothing it would act on.
    """
    if text.isprintable() or not _unsafe_re().search(text):
        return text
    with contextlib.suppress(UnicodeError):
        # A file name in a non-UTF-8 locale holds its UTF-8 bytes as surrogates: show
        # the characters they spell.
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "surrogateescape")
    return _unsafe_re().sub(
        lambda m: m.group() if m.group() in allowed else _escaped(m.group()), text
    )


_SPACES = str.maketrans("\r\n\t", "   ")


def one_line(text: str) -> str:
    """``text`` for a one-line display (a table row, a list): line breaks and tabs as spaces,
    anything else unsafe escaped."""
    return safe_text(text.replace("\r\n", " ").translate(_SPACES))


def safe_json(text: str) -> str:
    """JSON text with every unsafe character written as a ``\\uXXXX`` escape.

    Unlike ``safe_text`` this loses nothing: a JSON reader gets the exact string back. (The
    json module already escapes C0; DEL, C1 and the bidi controls it leaves raw.)
    """
    if text.isprintable():
        return text
    return _unsafe_re().sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def argument_text(text: str) -> str:
    """A command-line argument as the person typed it, whatever the locale.

    In the C locale (with Python's UTF-8 mode off) arguments are decoded as ASCII, so every
    byte of 'naïve' above 127 arrives as a lone surrogate; their bytes are UTF-8, so decode
    them as such. Bytes that are not UTF-8 stay surrogates, for the validator to refuse.
    """
    if sys.getfilesystemencoding() == "utf-8" or not any("\udc80" <= c <= "\udcff" for c in text):
        return text
    return os.fsencode(text).decode("utf-8", "surrogateescape")


def columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it (COLUMNS, else the
    terminal on stdout, else 80), without importing shutil and the compression modules it
    brings: ``companion log`` asks for it once for each of its options."""
    with contextlib.suppress(ValueError):
        wanted = int(os.environ.get("COLUMNS", ""))
        if wanted > 0:
            return wanted
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):  # no stdout at all, or not a terminal
        return 80


def use_utf8() -> None:
    """Read and write UTF-8 on the standard streams whatever the locale says (in the C locale,
    with Python's UTF-8 mode off, they would be ASCII, and the first "ï" would stop a listing
    half-way). An encoding named in PYTHONIOENCODING is kept: someone asked for it (Windows
    writes redirected output in its code page). What it cannot hold is shown as '?' in text
    for people; data for programs loses nothing (``json_ascii``, ``data_stdout``).

    Output that cannot be encoded (a lone surrogate from an undecodable file name) is
    written as a backslash escape instead of stopping the program half-way.
    """
    if os.environ.get("PYTHONIOENCODING"):
        if isinstance(sys.stdout, io.TextIOWrapper) and not stdout_is_utf8():
            sys.stdout.reconfigure(errors="replace")
        return
    for stream, errors in ((sys.stdout, "backslashreplace"), (sys.stderr, "backslashreplace")):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors=errors)
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(encoding="utf-8")


def stdout_is_utf8() -> bool:
    return codecs.lookup(sys.stdout.encoding or "ascii").name == "utf-8"


def json_ascii() -> bool:
    """JSON for standard output as ASCII escapes (``ensure_ascii``) when its encoding is not
    UTF-8: a program reading it gets every character back."""
    return not stdout_is_utf8()


@contextlib.contextmanager
def data_stdout() -> Iterator[TextIO]:
    """Standard output for a file format defined as UTF-8 (the CSV): UTF-8 whatever its
    encoding, so a narrower one named in PYTHONIOENCODING loses nothing of the data."""
    if stdout_is_utf8() or not isinstance(sys.stdout, io.TextIOWrapper):
        yield sys.stdout
        return
    sys.stdout.flush()
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    try:
        yield out
    finally:
        out.flush()
        out.detach()  # sys.stdout's own buffer stays open
