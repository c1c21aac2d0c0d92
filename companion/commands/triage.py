"""``companion triage``: the triage engine from the shell, for people and for scripts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.errors import UsageError

if TYPE_CHECKING:
    from companion.store import Store


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "triage",
        parents=[common],
        help="how urgently to get help, from answers to the triage questions",
        description=(
            "With no option, on a terminal: open the app at the triage questions, asked one "
            "by one. Scripts give the answers as a JSON object of question ids (see "
            "--questions). This is a prompt to get checked, not a diagnosis."
        ),
    )
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--answers", metavar="FILE", help="JSON answers file, or - for stdin")
    what.add_argument(
        "--questions", action="store_true", help="list the question ids and allowed answers"
    )
    what.add_argument(
        "--set-emergency-number",
        metavar="TEXT",
        help="what to call in an emergency, e.g. '112' (empty text restores the default)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--save", action="store_true", help="keep the result in the diary")
    parser.set_defaults(func=cmd_triage)


def cmd_triage(args: argparse.Namespace) -> int:
    if args.save and args.answers is None:
        raise UsageError("--save goes with --answers")
    if args.set_emergency_number is not None:
        return _set_number(args)
    if args.questions:
        return _questions(as_json=args.json)
    if args.answers is None:
        if args.json or not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise UsageError(
                "triage: give --answers FILE (or - for standard input), --questions or "
                "--set-emergency-number; on a terminal, 'companion triage' alone asks the "
                "questions"
            )
        result: int = args.start_app(getattr(args, "home", None), opening="triage")
        return result
    return _assess(args)


def _assess(args: argparse.Namespace) -> int:
    from companion import outcome, triage

    content = triage.triage()
    answers = content.check_answers(_read_answers(args.answers))
    store = _open_store(args, create=args.save)
    try:
        number = _number(store)
        result = content.evaluate(answers, number)
        if store is not None and args.save:
            from companion.triage_store import save_result

            save_result(store, result)
    finally:
        if store is not None:
            store.close()
    if args.json:
        json.dump(result.to_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(outcome.as_text(outcome.build(result, number, content)))
        if args.save:
            sys.stdout.write("Saved to the diary.\n")
    return 0


def _read_answers(source: str) -> object:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise UsageError(f"answers: cannot read {source} ({reason})") from None
    try:
        return json.loads(text, object_pairs_hook=_once_each)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"answers: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise UsageError("answers: the JSON is nested too deeply") from None
    except ValueError:  # Python reads no integer of over 4,300 digits
        raise UsageError("answers: a number in it has too many digits") from None


def _once_each(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A JSON object whose keys are all different: an answer given twice is refused, never
    settled by the later one (a "no" after a "yes" would lower the advice)."""
    found: dict[str, object] = {}
    for key, value in pairs:
        if key in found:
            raise UsageError(f"answers: {key!r} is given twice")
        found[key] = value
    return found


def _open_store(args: argparse.Namespace, *, create: bool) -> Store | None:
    """The diary if it exists (or ``create``): reading the setting never creates one."""
    from companion.paths import DIARY_FILE, home_dir
    from companion.store import Store

    home = getattr(args, "home", None)
    if not create and not (home_dir(home) / DIARY_FILE).exists():
        return None
    return Store.open(home)


def _number(store: Store | None) -> str:
    from companion.safety import emergency_number

    return emergency_number(store)


def _set_number(args: argparse.Namespace) -> int:
    from companion.entry import ValidationError, plain_text
    from companion.safety import EMERGENCY_NUMBER_KEY
    from companion.store import Store
    from companion.terminal import argument_text

    option = "--set-emergency-number"
    try:
        text = plain_text(option, argument_text(args.set_emergency_number))
    except ValidationError as exc:
        raise UsageError(str(exc)) from None
    text = " ".join(text.split())
    if len(text) > 80:
        raise UsageError(f"{option}: keep it under 80 characters")
    with Store.open(getattr(args, "home", None)) as store:
        store.set_setting(EMERGENCY_NUMBER_KEY, text)
        shown = _number(store)
    print(f"In an emergency the app will say: call {shown}.")
    return 0


def _questions(*, as_json: bool) -> int:
    from companion import triage

    content = triage.triage()
    rows = []
    for q in content.questions:
        if q.kind == "bool":
            allowed = "true or false"
        elif q.kind == "int":
            allowed = f"{q.minimum}..{q.maximum} ({q.unit})"
        else:
            allowed = " | ".join(o.value for o in q.options)
        rows.append({"id": q.id, "kind": q.kind, "allowed": allowed, "question": q.text})
    if as_json:
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    width = max(len(r["id"]) for r in rows)
    for r in rows:
        print(f"{r['id']:<{width}}  {r['allowed']}")
    return 0
