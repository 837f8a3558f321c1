"""``python -m store.migrate``: bring the configured database's schema up to date."""

from __future__ import annotations

import sys

from . import database_url, make_engine, migrate, redacted


def main() -> int:
    url = database_url()
    applied = migrate(make_engine(url))
    done = ", ".join(map(str, applied)) if applied else "nothing to do"
    print(f"{redacted(url)}: migrations applied: {done}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
