"""The database: a connection pool, and the schema's migrations — plain SQL files applied in order.

``migrations/NNNN_name.sql`` are applied once each, in the order of their names, each in its own transaction
together with its row in ``schema_migrations``; an advisory lock makes concurrent runs wait for each other.
Run them with ``python -m asn_kinerja_service.db migrate`` (the database from
``ASN_KINERJA_SERVICE_DATABASE_URL``, or ``--database-url``).

>>> [name for name, _ in migration_files()][:1]
['0001_initial']
"""

from __future__ import annotations

import argparse
import os
from importlib import resources

import psycopg
from psycopg_pool import ConnectionPool

from asn_kinerja_service.config import PREFIX

__all__ = ["make_pool", "migrate", "migration_files"]

#: Any 64-bit number of this service's own, held while migrating.
_MIGRATION_LOCK = 0x61736E6B696E6A61


def migration_files() -> list[tuple[str, str]]:
    """(version, SQL text) of every migration, in order."""
    folder = resources.files("asn_kinerja_service").joinpath("migrations")
    files = sorted((f.name, f) for f in folder.iterdir() if f.name.endswith(".sql"))
    return [(name.removesuffix(".sql"), f.read_text(encoding="utf-8")) for name, f in files]


def migrate(conninfo: str) -> list[str]:
    """Apply the migrations not applied yet; the versions applied now."""
    applied_now = []
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations"
            " (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        conn.execute("SELECT pg_advisory_lock(%s)", [_MIGRATION_LOCK])
        try:
            done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
            for version, sql in migration_files():
                if version in done:
                    continue
                with conn.transaction():
                    conn.execute(sql.encode())  # no parameters: several statements in one go
                    conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)", [version])
                applied_now.append(version)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [_MIGRATION_LOCK])
    return applied_now


def make_pool(conninfo: str, size: int) -> ConnectionPool:
    """A pool of up to ``size`` connections, opened (waits until the database answers)."""
    pool = ConnectionPool(conninfo, min_size=1, max_size=size, open=False, timeout=60)
    pool.open(wait=True, timeout=30)
    return pool


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m asn_kinerja_service.db", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["migrate"])
    parser.add_argument("--database-url", default=os.environ.get(PREFIX + "DATABASE_URL"))
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error(f"give --database-url or set {PREFIX}DATABASE_URL")
    applied = migrate(args.database_url)
    print(f"applied {len(applied)} migration(s)" + (f": {', '.join(applied)}" if applied else ""))


if __name__ == "__main__":
    main()
