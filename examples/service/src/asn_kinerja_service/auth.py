"""API keys: one per agency, shown once when the agency is made; only its SHA-256 is stored.

A request carries its key in the ``X-API-Key`` header; the agency it belongs to is the only agency whose data
the request can reach (:mod:`asn_kinerja_service.repository` filters every read by it).

>>> key = new_key()
>>> key.startswith("ak_"), len(key_hash(key))
(True, 32)
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["admin_ok", "key_hash", "new_key"]


def new_key() -> str:
    """A new random API key (256 bits)."""
    return "ak_" + secrets.token_urlsafe(32)


def key_hash(key: str) -> bytes:
    """What is stored of a key: its SHA-256 (a key is random, so no salt or slow hash is needed)."""
    return hashlib.sha256(key.encode()).digest()


def admin_ok(given: str | None, expected: str | None) -> bool:
    """Whether the administrator's token is right (never, when the service has none)."""
    return bool(given and expected) and hmac.compare_digest(str(given).encode(), str(expected).encode())
