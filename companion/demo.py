"""A generated diary for demos, tests and benchmarks: never mixed with real data."""

from __future__ import annotations

import contextlib
import random
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from companion.entry import Entry

DEMO_DAYS = 120


def demo_entries(
    days: int = DEMO_DAYS, *, today: date | None = None, per_day: int = 1, seed: int = 7
) -> Iterator[Entry]:
    """A plausible course: a flare that settles, some cramp weeks, a few bad nights."""
    rng = random.Random(seed)
    today = today or date.today()
    start = today - timedelta(days=days - 1)
    for offset in range(days):
        day = start + timedelta(days=offset)
        progress = offset / max(days - 1, 1)
        base = 6.5 - 3.5 * progress + 1.5 * ((offset // 9) % 2)
        for slot in range(per_day):
            hour = 8 + (12 * slot) // max(per_day, 1)
            pain = max(0, min(10, round(base + rng.gauss(0, 1.1))))
            night = max(0, min(10, pain - 2 + rng.randint(-1, 2)))
            cramps = rng.choice((0, 0, 0, 0, 1, 1, 2)) if (offset // 14) % 3 == 1 else 0
            yield Entry(
                id=f"00000000-0000-4000-8000-{seed:04x}{offset * per_day + slot:08x}",
                date=day.isoformat(),
                time=f"{hour:02d}:{rng.randint(0, 59):02d}",
                pain=pain,
                worst_pain=min(10, pain + rng.randint(0, 2)),
                night_pain=night,
                woke_at_night="yes" if night >= 5 else "no",
                eased_by_rest=rng.choice(("yes", "yes", "partly", "no")) if pain >= 3 else "yes",
                morning_stiffness_min=rng.choice((5, 10, 15, 20, 30)),
                locations=frozenset(
                    rng.sample(
                        ("lower_back_left", "lower_back_middle", "buttock_left", "leg_left"), k=2
                    )
                ),
                qualities=frozenset(rng.sample(("aching", "stiff", "sharp"), k=1)),
                cramps=cramps,
                cramp_minutes=float(rng.choice((1, 2, 3))) if cramps else None,
                cramp_sites=frozenset({"calf_left"}) if cramps else frozenset(),
                triggers=frozenset(rng.sample(("sitting", "lifting", "bending", "cold"), k=1)),
                relief=frozenset(rng.sample(("walking", "heat", "stretching", "rest"), k=2)),
                medications="paracetamol 1 g" if pain >= 6 else None,
                weight_kg=round(78 + rng.gauss(0, 0.3), 1) if offset % 7 == 0 else None,
                notes=rng.choice(
                    (
                        None,
                        None,
                        "Long drive today.",
                        "Gardening, then stiff.",
                        "Slept badly.",
                        "Swim helped.",
                    )
                ),
            )


def fill(
    home: Path | str, days: int = DEMO_DAYS, *, today: date | None = None, per_day: int = 1
) -> int:
    """Write a demo diary into the data directory ``home``; returns the entry count."""
    from companion.store import Store

    with Store.open(home) as store:
        result = store.merge(demo_entries(days, today=today, per_day=per_day))
    return result.added


@contextlib.contextmanager
def demo_home() -> Iterator[Path]:
    """A temporary data directory holding a demo diary, removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix="companion-demo-"))
    try:
        fill(path)
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
