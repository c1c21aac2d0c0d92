"""How the app is loaded: the one import of Textual that starts it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from screens.app import CompanionApp


def load_app(diary: str | None = None) -> type[CompanionApp]:
    """The app's class, with Textual.

    With ``diary`` (the diary file's path), its check on open begins first, in a thread, so
    that SQLite reads the file while Python imports Textual (companion.store.precheck). From
    here until the app's first frame the garbage collector is paused: what start-up makes
    lives as long as the app, so collecting meanwhile finds almost nothing and costs a tenth
    of the start (``make bench``). The app freezes what it made and collects again after its
    first frame."""
    import gc

    gc.disable()
    if diary is not None:
        from companion.store import precheck
        from companion.store.core import check_file

        precheck.begin(diary, check_file)
    from screens.app import CompanionApp

    return CompanionApp
