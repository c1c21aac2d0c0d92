"""How the app is loaded: the one import of Textual that starts it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from screens.app import CompanionApp


def load_app() -> type[CompanionApp]:
    """The app's class, with Textual. From here until the app's first frame the garbage
    collector is paused: what start-up makes lives as long as the app, so collecting
    meanwhile finds almost nothing and costs a tenth of the start (``make bench``). The
    app freezes what it made and collects again after its first frame."""
    import gc

    gc.disable()
    from screens.app import CompanionApp

    return CompanionApp
