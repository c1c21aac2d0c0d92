"""Saves, deletes and syncs in a loop through the real CLI, for the sync kill test.

Usage: python sync_worker.py HOME FOLDER SEED. Prints "sync-start" as a sync starts and
"synced" and its exit code when it has returned: the test kills this process at random
moments, many of them inside a sync.
"""

from __future__ import annotations

import contextlib
import io
import random
import sys
from pathlib import Path

from companion.__main__ import main
from companion.demo import demo_entries
from companion.entry import new_id
from companion.store import Store


def loop(home: Path, folder: Path, seed: int) -> None:
    rng = random.Random(seed)
    while True:
        with Store.open(home) as store:
            store.merge(e.with_changes(id=new_id()) for e in demo_entries(rng.randint(50, 300)))
            for (entry_id,) in store.read("SELECT id FROM entries ORDER BY random() LIMIT 20"):
                store.delete(entry_id)
        sys.stdout.write("sync-start\n")
        sys.stdout.flush()
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(["--home", str(home), "sync", str(folder)])
        sys.stdout.write(f"synced {code}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    loop(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
