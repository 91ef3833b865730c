"""The byte-level conventions every signed licensing document shares.

Signatures are only stable if both sides serialize the same way, so a document is signed as
canonical JSON (sorted keys, no spaces, UTF-8), times are UTC ISO 8601 with a ``Z`` and whole
seconds, and binary travels as unpadded base64url. Each signed message starts with a label
(``key/``, ``license/``, ``revocations/``, ``response/``) so a signature made for one kind of
document never verifies as another. The client verifier (``devforge.client``) repeats these
rules without importing them; keep the two in step.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

FORMAT_VERSION = 1


def canonical_json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def utc_text(moment: datetime) -> str:
    """Whole seconds in UTC: the text a signature covers must not depend on the caller's zone."""
    if moment.tzinfo is None:
        raise ValueError("signed documents carry timezone-aware times")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
