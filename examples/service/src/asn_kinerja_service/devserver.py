"""One command for a local service: a throw-away PostgreSQL, the migrations, the app.

    python -m asn_kinerja_service.devserver [--port 8000] [--workers 1]

It makes a PostgreSQL cluster in a temporary folder (:mod:`asn_kinerja_service.localpg`; as root, run by an
unprivileged user), applies the migrations, and serves the API on ``127.0.0.1`` until interrupted; then the
cluster and its folder are removed. The administrator's token is ``$ASN_KINERJA_SERVICE_ADMIN_TOKEN``, or a
random one printed at start. With ``--database-url`` it uses that database instead (migrating it) and starts no
cluster.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from types import FrameType

from asn_kinerja_service.config import PREFIX
from asn_kinerja_service.db import migrate
from asn_kinerja_service.localpg import local_postgres

__all__ = ["main"]


@contextlib.contextmanager
def database(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    with local_postgres() as pg:
        print(f"PostgreSQL {pg.root} on 127.0.0.1:{pg.port}", file=sys.stderr, flush=True)
        yield pg.conninfo


class _Stop(Exception):
    pass


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def serve(port: int, workers: int, env: dict[str, str]) -> int:
    """Run the app with uvicorn in a child process until it exits or this process is told to stop (SIGINT,
    SIGTERM), which is passed on to it; its exit status."""
    command = [sys.executable, "-m", "uvicorn", "--factory", "asn_kinerja_service.api:create_app", "--host",
               "127.0.0.1", "--port", str(port), "--workers", str(workers), "--log-level", "warning"]  # fmt: skip
    child = subprocess.Popen(command, env=env)
    previous = {s: signal.signal(s, _stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        return child.wait()
    except _Stop:
        child.send_signal(signal.SIGINT)
        return child.wait(timeout=30)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m asn_kinerja_service.devserver", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default 1)")
    parser.add_argument("--database-url", help="use this database instead of a temporary cluster")
    args = parser.parse_args(argv)
    token = os.environ.get(PREFIX + "ADMIN_TOKEN") or secrets.token_urlsafe(16)
    with database(args.database_url) as url:
        applied = migrate(url)
        env = {**os.environ, PREFIX + "DATABASE_URL": url, PREFIX + "ADMIN_TOKEN": token}
        print(f"migrations applied: {', '.join(applied) or 'none'}", file=sys.stderr)
        print(f"API   http://127.0.0.1:{args.port}   docs http://127.0.0.1:{args.port}/docs", file=sys.stderr)
        print(f"ADMIN_TOKEN={token}", file=sys.stderr, flush=True)
        status = serve(args.port, args.workers, env)
    sys.exit(status)


if __name__ == "__main__":
    main()
