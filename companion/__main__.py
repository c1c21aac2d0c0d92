"""The ``companion`` command: the TUI with no subcommand, scriptable subcommands otherwise.

Subcommands live in ``companion.commands.*``; each module registers its own parsers and
imports what it needs only when it runs, so ``companion log`` starts quickly.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from types import ModuleType

from companion import __version__
from companion.errors import CompanionError, UsageError
from companion.terminal import columns, safe_text, use_utf8

TYPE_CHECKING = False  # not typing's: importing typing slows every ``companion log``
if TYPE_CHECKING:
    from typing import Any, NoReturn

# Which module registers each command, so that ``companion log`` imports and builds the
# parsers of its own module only. A command missing here still works: the full parser is
# built (tests/test_cli_dispatch.py keeps the two in step).
COMMANDS = {
    "log": "diary",
    "list": "diary",
    "export": "diary",
    "import": "diary",
    "delete": "diary",
    "took": "medicines",
    "meds": "medicines",
    "triage": "triage",
    "alerts": "alerts",
    "seen": "alerts",
    "gone": "alerts",
    "report": "report",
    "backup": "backup",
    "restore": "backup",
    "insights": "insights",
    "sync": "sync",
    "encrypt": "encryption",
    "decrypt": "encryption",
    "nudge": "rhythm",
    "hook": "rhythm",
    "remind": "rhythm",
}
# Their modules, in the order the help lists their commands.
COMMAND_MODULES = tuple(dict.fromkeys(COMMANDS.values()))


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help, as wide as the terminal. argparse's own measures it with shutil, for
    every option added, which imports the compression modules on every start."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        width = columns() - 2 if width is None else width
        super().__init__(prog, indent_increment, max_help_position, width)


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (exit 2), not the usage block."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        # The message may quote what was typed ("unrecognized arguments: ...").
        self.exit(2, f"{self.prog}: error: {safe_text(message)}\n")


_PASSPHRASE_HELP = "an encrypted diary's passphrase, on the first line of FILE (for scripts)"


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``command``, only the parsers of the module that
    registers it (all of them for a command not in ``COMMANDS``)."""
    parser = OneLineParser(
        prog="companion",
        description="A self-care companion for back pain and cramps: diary, triage, trends.",
    )
    parser.add_argument("--version", action="version", version=f"companion {__version__}")
    parser.add_argument("--home", metavar="DIR", help="data directory (default: platform's)")
    parser.add_argument(
        "--demo", action="store_true", help="open the app on a generated demo diary"
    )
    parser.add_argument("--passphrase-file", metavar="FILE", help=_PASSPHRASE_HELP)
    # A command that opens the app (bare ``companion triage`` on a terminal) calls this.
    parser.set_defaults(start_app=run_app)
    common = OneLineParser(add_help=False)
    common.add_argument("--home", metavar="DIR", default=argparse.SUPPRESS, help="data directory")
    common.add_argument(
        "--passphrase-file", metavar="FILE", default=argparse.SUPPRESS, help=_PASSPHRASE_HELP
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    names = (COMMANDS[command],) if command in COMMANDS else COMMAND_MODULES
    for name in names:
        module = _command_module(name)
        if module is not None:
            module.add_parsers(sub, common)
    return parser


def command_word(argv: list[str]) -> str | None:
    """The command ``argv`` names, when only --home DIR or --demo come before it; None when
    anything else does (an abbreviation, --help), so that argparse sees every command."""
    words = iter(argv)
    for word in words:
        if word == "--home":
            next(words, None)
        elif not (word.startswith("--home=") or word == "--demo"):
            return None if word.startswith("-") else word
    return None


def _command_module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"companion.commands.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"companion.commands.{name}":
            return None
        raise


def run_app(home: str | None, *, demo: bool = False, opening: str | None = None) -> int:
    """Start the TUI, on the screen of command ``opening`` if given; Textual is imported
    here and nowhere else in ``companion``."""
    diary = None
    if not demo:
        from companion.paths import DIARY_FILE, home_dir
        from companion.store.encryption import can_unlock

        folder = home_dir(home)
        can_unlock(folder)
        diary = os.path.join(folder, DIARY_FILE)
    from companion.program import command_line
    from screens.start import load_app

    app_class = load_app(diary)
    with contextlib.ExitStack() as stack:
        if demo:
            from companion.demo import demo_home

            home = str(stack.enter_context(demo_home()))
        app = app_class(home=home, demo=demo, opening=opening, demo_command=command_line("--demo"))
        app.run()
    return app.return_code or 0


def main(argv: list[str] | None = None) -> int:
    if sys.stdout is None:
        # Started with standard output closed (``companion list >&-``): what would be shown
        # goes nowhere, as print() already sends it, instead of failing half-way.
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the process
    use_utf8()
    words = sys.argv[1:] if argv is None else argv
    args = build_parser(command_word(words)).parse_args(words)
    try:
        from companion import passphrase

        # One command, one passphrase: what an earlier call in this process knew is not kept.
        passphrase.forget()
        given = getattr(args, "passphrase_file", None)
        passphrase.use_file(os.path.expanduser(given) if given else None)
        if args.command is None:
            return run_app(args.home, demo=args.demo)
        if args.demo:
            # The demo diary lives only while the app is open; a command would quietly read
            # or write the person's own diary instead.
            raise UsageError(
                f"--demo opens the app on a generated diary; '{args.command}' would use your "
                "own diary, so run it without --demo"
            )
        result: int = args.func(args)
        return result
    except CompanionError as exc:
        # Errors quote file names and other input: shown, never obeyed by the terminal.
        print(f"companion: {safe_text(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``companion list | head``): stop quietly, and point stdout
        # at nothing so that Python's final flush does not complain either.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - the last guard: report without diary text
        from companion.crashlog import record_crash

        where = record_crash(exc, getattr(args, "home", None))
        report = (
            f"a report without personal data is in {where}"
            if where
            else "no report could be written"
        )
        print(
            f"companion: unexpected error ({type(exc).__name__}); {safe_text(report)}",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
