"""Parsed content kept between starts: used only for the very bytes it was made from, never
one another user could have written, and never a reason for a command to fail."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tomllib
import zlib
from pathlib import Path

import pytest

from companion import content, content_cache
from companion.errors import DataError


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A cache folder of this test's own; the folder kept copies go in."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = content_cache.cache_dir()
    assert folder is not None
    return Path(folder)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the shipped content to edit."""
    copy = tmp_path / "content"
    shutil.copytree(content.content_dir(), copy)
    return copy


def test_a_parsed_file_is_kept_private_and_read_back_without_parsing(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = content.load_toml("red_flags.toml")
    kept = cache / "red_flags.toml.marshal"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    monkeypatch.setattr(tomllib, "loads", lambda *a, **k: pytest.fail("parsed twice"))
    assert content.load_toml("red_flags.toml") == parsed
    assert [p.name for p in cache.iterdir()] == ["red_flags.toml.marshal"]  # no scratch left


def test_an_edited_file_is_parsed_again(cache: Path, root: Path) -> None:
    rules = root / "red_flags.toml"
    before = content.load_toml("red_flags.toml", root)
    # The same length, so only the bytes themselves tell the copy is stale.
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("min_temperature_c = 38.0", "min_temperature_c = 39.0"))
    assert rules.stat().st_size == len(text.encode())
    after = content.load_toml("red_flags.toml", root)
    fever = next(r for r in after["rule"] if r["id"] == "fever_with_back_pain")
    assert fever["thresholds"]["min_temperature_c"] == 39.0
    assert after != before


@pytest.mark.parametrize(
    "damage",
    [
        lambda kept: b"",
        lambda kept: kept[:-5],  # cut short
        lambda kept: kept[:-1] + bytes([kept[-1] ^ 1]),  # one bit of the payload flipped
        lambda kept: b"garbage" * 50,
        lambda kept: kept.replace(b"cache 2", b"cache 1"),  # an older format
    ],
    ids=["empty", "truncated", "bit-flip", "garbage", "old-format"],
)
def test_a_damaged_copy_is_passed_over_and_made_again(cache: Path, damage: object) -> None:
    parsed = content.load_toml("sources.toml")
    kept = cache / "sources.toml.marshal"
    good = kept.read_bytes()
    kept.write_bytes(damage(good))  # type: ignore[operator]
    assert content.load_toml("sources.toml") == parsed
    assert kept.read_bytes() == good


@pytest.mark.parametrize("target", ["file", "folder"])
def test_a_copy_others_could_write_is_never_read(
    cache: Path, target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    content.load_toml("levels.toml")
    path = cache / "levels.toml.marshal" if target == "file" else cache
    path.chmod(0o666 if target == "file" else 0o777)
    parsed = []
    monkeypatch.setattr(tomllib, "loads", lambda text: parsed.append(text) or {"level": []})
    assert content.load_toml("levels.toml") == {"level": []}
    assert len(parsed) == 1


def test_a_cache_that_cannot_be_written_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder would go
    assert content.load_toml("levels.toml") == tomllib.loads(
        (content.content_dir() / "levels.toml").read_text(encoding="utf-8")
    )
    assert blocker.read_text() == ""


def test_data_marshal_cannot_keep_is_parsed_each_time(cache: Path, tmp_path: Path) -> None:
    (tmp_path / "dated.toml").write_text("when = 2026-12-01\n")
    assert str(content.load_toml("dated.toml", tmp_path)["when"]) == "2026-12-01"
    assert not (cache / "dated.toml.marshal").exists()


def test_a_content_file_that_is_not_utf8_is_named_in_one_line(cache: Path, root: Path) -> None:
    (root / "levels.toml").write_bytes(b'name = "\xff"\n')
    with pytest.raises(DataError, match=r"^levels.toml: cannot read content file \(") as raised:
        content.load_toml("levels.toml", root)
    assert "\n" not in str(raised.value)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rule is Linux's")
@pytest.mark.parametrize("xdg", [None, "/somewhere/cache", "relative/cache", ""])
def test_the_cache_folder_is_where_platformdirs_puts_it(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None
) -> None:
    import platformdirs

    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    expected = os.path.join(platformdirs.user_cache_dir("companion", appauthor=False), "content")
    assert content_cache.cache_dir() == expected


def test_without_a_home_folder_nothing_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", "relative")
    if sys.platform.startswith("linux"):
        assert content_cache.cache_dir() is None
    assert content.load_toml("levels.toml")["level"]


@pytest.mark.parametrize("kind", ["fifo", "symlink-to-fifo"])
def test_a_fifo_where_a_copy_would_be_is_passed_over_without_waiting(
    cache: Path, tmp_path: Path, kind: str
) -> None:
    # Opening a FIFO for reading waits for a writer that never comes: the start would hang.
    cache.mkdir(parents=True)
    kept = cache / "levels.toml.marshal"
    fifo = kept if kind == "fifo" else tmp_path / "pipe"
    os.mkfifo(fifo, 0o600)
    if kind == "symlink-to-fifo":
        kept.symlink_to(fifo)
    script = "from companion import content; print(len(content.load_toml('levels.toml')['level']))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 0


def _same_crc(edited: bytes, original: bytes, free: range) -> bytes:
    """``edited`` with letters at the ``free`` offsets switched between 'a' and 'c' so that
    its CRC-32 is that of ``original`` (CRC-32 is linear: solved over GF(2))."""
    zeros = zlib.crc32(bytes(len(edited)))
    rows: list[tuple[int, int]] = []  # (what switching a set of offsets does to the CRC, set)
    for bit, offset in enumerate(free):
        flip = bytearray(len(edited))
        flip[offset] = ord("a") ^ ord("c")
        vector, chosen = zlib.crc32(flip) ^ zeros, 1 << bit
        for pivot, pivot_set in rows:
            if vector ^ pivot < vector:
                vector, chosen = vector ^ pivot, chosen ^ pivot_set
        if vector:
            rows.append((vector, chosen))
            rows.sort(reverse=True)
    need, chosen = zlib.crc32(edited) ^ zlib.crc32(original), 0
    for pivot, pivot_set in rows:
        if need ^ pivot < need:
            need, chosen = need ^ pivot, chosen ^ pivot_set
    assert need == 0
    forged = bytearray(edited)
    for bit, offset in enumerate(free):
        if chosen >> bit & 1:
            forged[offset] = ord("c")
    return bytes(forged)


def test_an_edit_that_keeps_length_and_crc_is_parsed_again(cache: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    padding = "a" * 64
    original = f"min_temperature_c = 38.0\n# {padding}\n".encode()
    rules.write_bytes(original)
    assert content.load_toml("rules.toml", tmp_path)["min_temperature_c"] == 38.0
    start = original.index(b"# ") + 2
    edited = _same_crc(
        original.replace(b"38.0", b"39.0"), original, range(start, start + len(padding))
    )
    assert len(edited) == len(original) and zlib.crc32(edited) == zlib.crc32(original)
    rules.write_bytes(edited)
    assert content.load_toml("rules.toml", tmp_path)["min_temperature_c"] == 39.0
