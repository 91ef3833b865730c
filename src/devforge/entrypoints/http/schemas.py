"""The camelCase msgspec base every HTTP body uses."""

from __future__ import annotations

import msgspec


class CamelStruct(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    """Request and response bodies: camelCase on the wire, unknown fields refused."""
