"""The Textual application."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class CompanionApp(App[int]):
    TITLE = "Companion"

    def __init__(self, home: str | Path | None = None, *, demo: bool = False) -> None:
        super().__init__()
        self.home = home
        self.demo = demo

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Back pain and cramp companion")
        yield Footer()
