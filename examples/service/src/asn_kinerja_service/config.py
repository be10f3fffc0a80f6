"""Settings, read from the environment once when the app is made.

=====================================  ============================================================================
``ASN_KINERJA_SERVICE_DATABASE_URL``   libpq connection string or URL of the PostgreSQL database (required)
``ASN_KINERJA_SERVICE_ADMIN_TOKEN``    token of the administrator who creates agencies (unset: no administration)
``ASN_KINERJA_SERVICE_POOL_SIZE``      largest number of database connections (default 10)
``ASN_KINERJA_SERVICE_MAX_UPLOAD``     largest upload in bytes, dataset or policy (default 64 MiB)
``ASN_KINERJA_SERVICE_TEST_HOLD_DIR``  **tests only**: see :func:`asn_kinerja_service.evaluations.test_hold`
=====================================  ============================================================================

>>> Settings.from_env({"ASN_KINERJA_SERVICE_DATABASE_URL": "dbname=x"}).pool_size
10
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import attrs

__all__ = ["PREFIX", "Settings"]

PREFIX = "ASN_KINERJA_SERVICE_"


@attrs.frozen
class Settings:
    database_url: str
    admin_token: str | None = None
    pool_size: int = 10
    max_upload: int = 64 << 20
    test_hold_dir: Path | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        url = env.get(PREFIX + "DATABASE_URL")
        if not url:
            raise RuntimeError(f"set {PREFIX}DATABASE_URL to the PostgreSQL database of the service")
        hold = env.get(PREFIX + "TEST_HOLD_DIR")
        return cls(
            database_url=url,
            admin_token=env.get(PREFIX + "ADMIN_TOKEN") or None,
            pool_size=int(env.get(PREFIX + "POOL_SIZE", "10")),
            max_upload=int(env.get(PREFIX + "MAX_UPLOAD", str(64 << 20))),
            test_hold_dir=Path(hold) if hold else None,
        )
