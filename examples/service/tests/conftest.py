"""The service's tests run against a real PostgreSQL (a throw-away cluster made for the session) and the real app
served by uvicorn in a subprocess, spoken to over HTTP with httpx: no mock, no stand-in database."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from asn_kinerja_service.config import PREFIX
from asn_kinerja_service.db import migrate
from asn_kinerja_service.localpg import LocalPostgres

REPO = Path(__file__).resolve().parents[3]
BUNGO = REPO / "examples" / "bungo" / "data"
POLICIES = REPO / "examples" / "policies"
ADMIN_TOKEN = "test-admin-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """The app in a uvicorn subprocess on a free loopback port."""

    def __init__(self, conninfo: str, hold_dir: Path, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.hold_dir = hold_dir
        env = {
            **os.environ,
            PREFIX + "DATABASE_URL": conninfo,
            PREFIX + "ADMIN_TOKEN": ADMIN_TOKEN,
            PREFIX + "TEST_HOLD_DIR": str(hold_dir),
        }
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "asn_kinerja_service.api:create_app",
             "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"],
            env=env, stdout=self.log, stderr=self.log,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the app did not start: see {log}")
            time.sleep(0.1)

    def client(self, key: str | None = None) -> httpx.Client:
        headers = {"X-API-Key": key} if key else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120)

    def agency(self, name: str | None = None) -> httpx.Client:
        """A new agency, and a client that carries its key."""
        with self.client() as admin:
            response = admin.post(
                "/admin/agencies",
                json={"name": name or f"Dinas {uuid.uuid4().hex[:8]}"},
                headers={"X-Admin-Token": ADMIN_TOKEN},
            )
        assert response.status_code == 201, response.text
        return self.client(response.json()["api_key"])

    def kill(self) -> None:
        """SIGKILL: the process dies at once, wherever it is."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


@pytest.fixture(scope="session")
def postgres() -> Iterator[LocalPostgres]:
    pg = LocalPostgres(durable=False)
    try:
        pg.start()
        migrate(pg.conninfo)
        yield pg
    finally:
        pg.stop()


@pytest.fixture(scope="session")
def hold_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hold")


@pytest.fixture(scope="session")
def server(postgres: LocalPostgres, hold_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(postgres.conninfo, hold_dir, tmp_path_factory.mktemp("logs") / "server.log")
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def start_server(postgres: LocalPostgres, tmp_path: Path) -> Iterator[type[Server]]:
    """Starts extra servers on the session's database (stopped at the end of the test)."""
    started: list[Server] = []

    class Extra(Server):
        def __init__(self) -> None:  # type: ignore[override]
            super().__init__(postgres.conninfo, tmp_path, tmp_path / "server.log")
            started.append(self)

    yield Extra
    for srv in started:
        srv.stop()


def zip_folder(folder: Path, edit: dict[str, str] | None = None) -> bytes:
    """A zip of a dataset folder, some files replaced by ``edit`` (file name → text)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(folder.iterdir()):
            text = (edit or {}).get(path.name)
            z.writestr(f"data/{path.name}", text if text is not None else path.read_bytes())
    return buf.getvalue()


@pytest.fixture(scope="session")
def bungo_zip() -> bytes:
    return zip_folder(BUNGO)


def upload(client: httpx.Client, data: bytes, key: str | None = None, media: str = "application/zip") -> httpx.Response:
    headers = {"Content-Type": media, **({"Idempotency-Key": key} if key else {})}
    return client.post("/datasets", content=data, headers=headers)


def evaluate(
    client: httpx.Client, dataset_id: int, policy: str = "permenpanrb-6-2022", **extra: object
) -> httpx.Response:
    return client.post("/evaluations", json={"dataset_id": dataset_id, "policy": policy, **extra})


def count(conninfo: str, sql: str, *params: object) -> int:
    import psycopg

    with psycopg.connect(conninfo) as conn:
        row = conn.execute(sql.encode(), params).fetchone()
    assert row is not None
    return int(row[0])
