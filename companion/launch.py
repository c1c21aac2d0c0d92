"""The ``companion`` command's entry point. ``companion nudge`` runs at shell prompts, so it is
told apart here, before the command line's parser and the rest of the program are imported."""

import sys


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    if nudge_asked(words):
        from companion.nudge import main as nudge

        return nudge(words)
    from companion.__main__ import main as companion

    code = companion(argv)
    # What is left is for the interpreter's exit to free. Frozen, it is not walked by the
    # garbage collector first, which would take about a tenth of ``companion log``'s time.
    import gc

    gc.freeze()
    return code


def nudge_asked(words: list[str]) -> bool:
    """Whether the command is ``nudge``: the first word that is not ``--home DIR``."""
    index = 0
    while index < len(words):
        word = words[index]
        if word == "--home":
            index += 2
        elif word.startswith("--home="):
            index += 1
        else:
            return word == "nudge"
    return False
