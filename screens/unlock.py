"""The first screen of an encrypted diary: its passphrase, three tries, then the app closes."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from companion.errors import CompanionError, WrongPassphrase
from companion.terminal import safe_text
from screens.app import CompanionApp
from screens.title_bar import TitleBar

TRIES = 3


class Unlock(Screen[None]):
    """Asks for the passphrase and opens the diary with it; nothing else is reachable."""

    app = getters.app(CompanionApp)
    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("escape", "app.quit", "Quit"),
    ]
    DEFAULT_CSS = """
    Unlock { align: center middle; }
    Unlock > Vertical {
        width: 64; max-width: 100%; height: auto;
        padding: 1 2; border: thick $primary; background: $surface;
    }
    Unlock Input { margin-top: 1; }
    Unlock #unlock-status { margin-top: 1; height: auto; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.tries = 0
        self.sub_title = "Unlock"

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical():
            yield Static(
                Text(
                    "This diary is encrypted. Type its passphrase and press enter "
                    f"({TRIES} tries; escape quits)."
                )
            )
            yield Input(password=True, placeholder="passphrase", id="passphrase")
            yield Static(id="unlock-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted, "#passphrase")
    def _submitted(self, event: Input.Submitted) -> None:
        field = event.input
        typed = field.value
        field.value = ""
        if not typed:
            return
        field.disabled = True
        self._say("Opening the diary...")
        self._open(typed)

    @work(thread=True, exclusive=True)
    def _open(self, typed: str) -> None:
        # The key derivation takes a moment on purpose: off the screen's thread.
        from companion.store import Store

        try:
            store = Store.open(self.app.home, passphrase=typed)
        except WrongPassphrase:
            self.app.call_from_thread(self._wrong)
        except CompanionError as exc:
            self.app.call_from_thread(self._fail, exc.exit_code, str(exc))
        else:
            self.app.call_from_thread(self.app.unlocked, store)

    def _wrong(self) -> None:
        self.tries += 1
        left = TRIES - self.tries
        if left <= 0:
            self._fail(1, f"the passphrase was wrong {TRIES} times; the diary was not opened")
            return
        field = self.query_one("#passphrase", Input)
        field.disabled = False
        field.focus()
        self._say(
            f"That passphrase does not open the diary; {left} "
            f"{'try' if left == 1 else 'tries'} left."
        )

    def _fail(self, code: int, message: str) -> None:
        self.app.exit(return_code=code, message=Text(f"companion: {safe_text(message)}"))

    def _say(self, message: str) -> None:
        self.query_one("#unlock-status", Static).update(Text(message))
