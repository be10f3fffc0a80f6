"""A throw-away local PostgreSQL cluster in a temporary folder, for the development server and the tests.

``initdb`` makes a cluster in a fresh temporary folder, ``pg_ctl`` starts it on a free loopback port (and its
unix socket in the same folder), with a random password for the superuser ``asn``. PostgreSQL refuses to run as
root: when this process is root, the cluster is made and run by an unprivileged user (``$ASN_KINERJA_SERVICE_PG_USER``,
else ``postgres`` where it exists, else a system user ``asn-kinerja-pg`` created for the purpose) through
``setpriv``, and the folder is handed to that user.

>>> import shutil
>>> bool(find_binary("initdb")) == bool(shutil.which("initdb") or _versioned_bins())
True
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["LocalPostgres", "find_binary", "local_postgres"]

DEFAULT_USER = "asn-kinerja-pg"
DATABASE = "asn_kinerja"


def _versioned_bins() -> list[str]:
    return sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)


def find_binary(name: str) -> str:
    """The path of a PostgreSQL server program (``initdb``, ``pg_ctl``): on ``PATH``, else the newest
    ``/usr/lib/postgresql/<version>/bin``."""
    found = shutil.which(name)
    if found:
        return found
    for folder in _versioned_bins():
        candidate = Path(folder) / name
        if candidate.is_file():
            return str(candidate)
    raise FileNotFoundError(f"{name} not found: install PostgreSQL (e.g. apt-get install postgresql)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _unprivileged_user() -> pwd.struct_passwd:
    name = os.environ.get("ASN_KINERJA_SERVICE_PG_USER")
    for candidate in [name] if name else ["postgres", DEFAULT_USER]:
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(candidate)
    if name:
        raise RuntimeError(f"ASN_KINERJA_SERVICE_PG_USER={name!r}: no such user")
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", DEFAULT_USER],
        check=True,
        capture_output=True,
    )
    return pwd.getpwnam(DEFAULT_USER)


class LocalPostgres:
    """One temporary cluster: :meth:`start` gives its connection string, :meth:`stop` removes it whole.

    ``durable=False`` turns ``fsync`` off (tests: the data is thrown away anyway; a crash of the *application*,
    which is what the tests provoke, is unaffected).
    """

    def __init__(self, *, durable: bool = True) -> None:
        self.durable = durable
        self.root = Path(tempfile.mkdtemp(prefix="asn-kinerja-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.password = secrets.token_urlsafe(24)
        self.port = 0
        self._prefix: list[str] = []
        self._owner: tuple[int, int] | None = None
        if os.geteuid() == 0:
            user = _unprivileged_user()
            self._owner = (user.pw_uid, user.pw_gid)
            self._prefix = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups", "--"]
            os.chown(self.root, *self._owner)

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self._prefix, *args], capture_output=True, text=True, cwd=self.root, check=False)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""
            raise RuntimeError(f"{Path(args[0]).name} failed ({done.returncode}):\n{done.stdout}{done.stderr}{log}")

    @property
    def conninfo(self) -> str:
        """The libpq connection string of the service's database."""
        return self.conninfo_for(DATABASE)

    def conninfo_for(self, dbname: str) -> str:
        return f"host=127.0.0.1 port={self.port} user=asn password={self.password} dbname={dbname}"

    def start(self) -> str:
        """Make and start the cluster, create the database; the connection string."""
        pwfile = self.root / "pwfile"
        pwfile.write_text(self.password + "\n")
        if self._owner is not None:
            os.chown(pwfile, *self._owner)
        pwfile.chmod(0o600)
        self._run(
            find_binary("initdb"), "-D", str(self.data), "-U", "asn", "--auth=scram-sha-256",
            f"--pwfile={pwfile}", "-E", "UTF8", "--no-locale",
        )  # fmt: skip
        pwfile.unlink()
        options = [
            "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={self.root}",
            "-c max_connections=200",
        ]
        if not self.durable:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        for attempt in range(5):  # a free port can be taken by someone else before the server binds it
            self.port = _free_port()
            try:
                self._run(
                    find_binary("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                    "-o", " ".join([*options, f"-c port={self.port}"]), "start",
                )  # fmt: skip
                break
            except RuntimeError:
                if attempt == 4:
                    raise
        import psycopg

        with psycopg.connect(self.conninfo_for("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        return self.conninfo

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete the folder."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(find_binary("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def local_postgres(*, durable: bool = True) -> Iterator[LocalPostgres]:
    """A started :class:`LocalPostgres`, stopped and removed on exit."""
    pg = LocalPostgres(durable=durable)
    try:
        pg.start()
        yield pg
    finally:
        pg.stop()
