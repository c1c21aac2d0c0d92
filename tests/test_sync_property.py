"""Three computers, one shared folder, random logs, edits and deletes and random syncs:
every order of syncs ends in the same diary everywhere, no edit is lost without a trace,
and a sync with nothing new changes nothing.

The test keeps its own account of which edits each computer had seen when it made each
edit or delete (a sync reads every file in the folder): an edit nobody later edited over
knowingly must end up as the entry, or be kept as a conflict somewhere.
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sync_homes import diary, homes

from companion import followups
from companion.store import sync as store_sync

OPS = st.lists(
    st.tuples(
        st.sampled_from(["log", "edit", "edit", "delete", "undo", "seen", "unseen", "sync"]),
        st.integers(0, 2),  # which computer
        st.integers(0, 50),  # which of its entries, and the pain
        st.integers(0, 2),  # seconds the shared clock moves on
    ),
    max_size=30,
)
SKEWS = st.lists(st.integers(-3, 3), min_size=3, max_size=3)


@pytest.mark.slow
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(ops=OPS, skews=SKEWS, order=st.permutations([0, 1, 2]))
def test_any_order_of_syncs_converges_to_one_diary(
    ops: list[tuple[str, int, int, int]], skews: list[int], order: list[int]
) -> None:
    with tempfile.TemporaryDirectory() as tmp, homes(Path(tmp)) as computers:
        for home, skew in zip(computers, skews, strict=True):
            home.skew = timedelta(seconds=skew)
        clock = computers[0].clock
        logged: set[str] = set()
        undo: dict[int, object] = {}
        edits: list[tuple[str, int]] = []  # (entry id, pain) of every edit made
        known: list[set[int]] = [set(), set(), set()]  # the edits each computer had seen
        in_folder: set[int] = set()
        over: set[int] = set()  # edits some computer edited or deleted knowingly

        def made(who: int, entry_id: str, pain: int) -> None:
            over.update(e for e in known[who] if edits[e][0] == entry_id)
            edits.append((entry_id, pain))
            known[who].add(len(edits) - 1)

        for op, who, n, tick in ops:
            clock.now += timedelta(seconds=tick)
            home = computers[who]
            ids = [r[0] for r in home.store.read("SELECT id FROM entries ORDER BY id")]
            if op == "log":
                new = home.log(n % 11, f"note {n}")
                logged.add(new)
                made(who, new, n % 11)
            elif op == "edit" and ids:
                home.edit(ids[n % len(ids)], n % 11)
                made(who, ids[n % len(ids)], n % 11)
            elif op == "delete" and ids:
                undo[who] = gone = home.store.delete(ids[n % len(ids)])
                over.update(e for e in known[who] if edits[e][0] == gone.id)
            elif op == "undo" and who in undo:
                back = undo.pop(who)
                home.store.restore(back)
                made(who, back.id, back.pain)
            elif op == "seen":
                followups.record(home.store, "seen", day="2026-11-01")
            elif op == "unseen":
                rows = home.store.read("SELECT id FROM followups ORDER BY id")
                if rows:
                    followups.remove(home.store, rows[n % len(rows)][0])
            elif op == "sync":
                home.sync()
                in_folder |= known[who]
                known[who] |= in_folder

        # Two rounds in the drawn order: the first carries everything into the folder.
        for _ in range(2):
            for who in order:
                computers[who].sync()
        first = diary(computers[0].store)
        for home in computers[1:]:
            assert diary(home.store) == first
        # Nothing saved vanished without a tombstone saying it was deleted.
        kept = {r[0] for r in first["entries"]}
        dead = {r[1] for r in first["tombstones"] if r[0] == "entries"}
        assert logged <= kept | dead
        pains = {r[0]: r[3] for r in first["entries"]}
        set_aside = {
            (c.id, c.row["pain"])
            for home in computers
            for c in store_sync.conflicts(home.store.conn)
            if c.table == "entries"
        }
        for number, (entry_id, pain) in enumerate(edits):
            if number not in over:
                assert pains.get(entry_id) == pain or (entry_id, pain) in set_aside

        # Idempotent: with nothing new, a sync writes no file and changes nothing.
        files = sorted(os.listdir(computers[0].folder))
        for who in order:
            result = computers[who].sync()
            assert result.written is None and result.read == 0
        assert sorted(os.listdir(computers[0].folder)) == files
        for home in computers:
            assert diary(home.store) == first
