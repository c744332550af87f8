"""Set aside a demo database made before lms was split into apps (#15), so `make run` builds a fresh one.

Each app of lms started its migrations afresh, so a database migrated with the old single `lms` app cannot be
migrated forward (its tables and index names clash with the new ones). The demo database holds nothing but demo
data, which `make run` loads again; the old file is kept beside it, renamed, not deleted.

Usage: python tools/demo_db_outdated.py demo/db.sqlite3
"""

import sqlite3
import sys
from pathlib import Path

OLD_FIRST_MIGRATION = ("lms", "0001_people_and_induction_programs")


def outdated(path: Path) -> bool:
    if not path.exists():
        return False
    with sqlite3.connect(path) as db:
        try:
            found = db.execute("SELECT 1 FROM django_migrations WHERE app = ? AND name = ?", OLD_FIRST_MIGRATION)
        except sqlite3.DatabaseError:  # no migrations table yet: an empty database
            return False
        return found.fetchone() is not None


def main(name: str) -> None:
    path = Path(name)
    if not outdated(path):
        return
    kept = path.with_name(path.name + ".before-apps-split")
    for suffix in ("", "-wal", "-shm"):
        part = Path(str(path) + suffix)
        if part.exists():
            part.rename(Path(str(kept) + suffix))
    print(f"{path} was made before lms was split into apps; set aside as {kept}, a new one is built now.")


if __name__ == "__main__":
    main(sys.argv[1])
