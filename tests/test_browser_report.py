"""A real browser renders the doctor's summary: headless Chromium prints it and takes a
screenshot. The PDFs and the screenshot are kept in test-artifacts/ to look at."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from test_report import START, TODAY, seed_diary

from companion import report
from companion.store import Store

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--no-pdf-header-footer",
    # Nothing may leave the machine; the net log still records every URL asked for.
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
# Chromium asks its own services for the time, updates and accounts whatever the flags;
# those are the browser's requests, not the page's.
BROWSER_HOSTS = (".google.com", ".googleapis.com", ".gstatic.com", ".gvt1.com")


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no Chromium found (apt-get install chromium poppler-utils; .ci/run does)")


@pytest.fixture(scope="module")
def browser() -> str:
    found = _browser()
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo not found (apt-get install poppler-utils)")
    return found


def _run(browser: str, tmp_path: Path, *args: str) -> None:
    """Run Chromium once with a fresh profile; it must succeed and the page fetch nothing."""
    run = tmp_path / f"run-{len(list(tmp_path.glob('run-*')))}"
    net_log = run / "net-log.json"
    run.mkdir()
    done = subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={run / 'profile'}", f"--log-net-log={net_log}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    urls = set(re.findall(r'"url":"([^"]+)"', net_log.read_text(encoding="utf-8")))
    fetched = [
        url
        for url in urls
        if not url.startswith(("file:", "data:", "about:", "chrome:"))
        and not (urlsplit(url).hostname or "").endswith(BROWSER_HOSTS)
    ]
    assert fetched == []


def _pages(pdf: Path) -> tuple[int, str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)[1])  # type: ignore[index]
    size = re.search(r"^Page size:.*\((\w+)\)", info.stdout, re.MULTILINE)
    return pages, size[1] if size else "?"


def _png_pixels(png: Path) -> tuple[int, int, bytes]:
    """Width, height and the decompressed (still filtered) image data of a PNG."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    width = height = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return width, height, zlib.decompress(idat)


@pytest.fixture(scope="module")
def summary_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The heaviest 90 days the tests seed: alerts, triage runs, long and hostile notes."""
    folder = tmp_path_factory.mktemp("browser")
    target = folder / "summary.html"
    with Store.open(folder / "home") as store:
        seed_diary(store)
        report.write_report(store, target, START, TODAY, TODAY)
    return target


def print_on(browser: str, html: Path, tmp_path: Path, paper: str) -> Path:
    """The page printed to a PDF on ``paper`` (A4, Letter) by the browser."""
    sized = tmp_path / f"summary-{paper}.html"
    sized.write_text(
        html.read_text(encoding="utf-8").replace(
            "</head>", f"<style>@page {{ size: {paper}; }}</style></head>", 1
        ),
        encoding="utf-8",
    )
    pdf = tmp_path / f"summary-{paper}.pdf"
    _run(browser, tmp_path, f"--print-to-pdf={pdf}", sized.as_uri())
    return pdf


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_prints_on_at_most_two_pages(
    browser: str, summary_html: Path, tmp_path: Path, paper: str
) -> None:
    pdf = print_on(browser, summary_html, tmp_path, paper)
    pages, size = _pages(pdf)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(pdf, ARTIFACTS / f"report-{paper}.pdf")
    assert size.lower() == paper.lower()
    assert 1 <= pages <= 2
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=False
    ).stdout
    if text:  # pdftotext comes with pdfinfo; check what a reader sees on paper
        assert "Back pain and cramp diary" in text
        assert f"Page 1 of {pages}" in text
        assert "not by a clinician" in text
        assert '<script>alert("x")</script>' in text


def test_screenshot_is_not_blank(browser: str, summary_html: Path, tmp_path: Path) -> None:
    png = tmp_path / "summary.png"
    _run(browser, tmp_path, "--window-size=1000,1400", f"--screenshot={png}", summary_html.as_uri())
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(png, ARTIFACTS / "report.png")
    width, height, pixels = _png_pixels(png)
    assert (width, height) == (1000, 1400)
    # A blank page compresses to almost nothing and holds a handful of byte values; text,
    # charts and anti-aliasing give hundreds of kilobytes and nearly every value.
    assert png.stat().st_size > 30_000
    assert len(set(pixels)) > 128
