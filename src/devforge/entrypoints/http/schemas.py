"""The camelCase msgspec base every HTTP body uses, and the text and number types every input
field is built from, so each limit the API enforces at the door is also in the OpenAPI document."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar.params import PathParameter
from msgspec import Meta

LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$(?!\n)"
"""One line of text: no control character (C0, DEL, C1) anywhere. ``(?!\\n)`` because ``$`` also
matches before a final line feed in Python, whose ``re`` msgspec uses; in ECMA (the schema's
dialect) it changes nothing."""
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
"""Text that may span lines: tab, line feed and carriage return, no other control character."""
NO_CONTROL_CHARACTERS = Meta(pattern=LINE_PATTERN)
MULTILINE = Meta(pattern=TEXT_PATTERN)
MAX_INT = 2**31 - 1
"""The largest integer any input field takes: every column holding one is at least 32 bits."""

Line = Annotated[str, NO_CONTROL_CHARACTERS]
Text = Annotated[str, MULTILINE]
PathText = Annotated[str, PathParameter(pattern=LINE_PATTERN)]
"""A path segment taken as text (a license key, a version, a token)."""


class CamelStruct(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    """Request and response bodies: camelCase on the wire, unknown fields refused (the schema says
    ``additionalProperties: false``)."""
