"""Email addresses, normalized so that one mailbox maps to one account."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from devforge.domain.identity.errors import EmailInvalid

# Matched whole (fullmatch): a "$" anchor would also match before a final line feed, and an
# address with a line feed in it cannot be mailed.
_LOCAL = re.compile(r"[a-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


@dataclass(frozen=True, slots=True)
class EmailAddress:
    """An address is trimmed, NFKC-normalized and lower-cased as a whole; at most 254 characters,
    a dot-atom local part, and a domain of at least two DNS labels."""

    value: str

    @classmethod
    def parse(cls, raw: str) -> EmailAddress:
        candidate = unicodedata.normalize("NFKC", raw).strip().lower()
        if len(candidate) > 254 or candidate.count("@") != 1:
            raise EmailInvalid("Enter an email address like name@example.com.", field="email")
        local, domain = candidate.split("@")
        labels = domain.split(".")
        if (
            not _LOCAL.fullmatch(local)
            or local.startswith(".")
            or local.endswith(".")
            or ".." in local
            or len(labels) < 2
            or not all(_LABEL.fullmatch(label) for label in labels)
            or labels[-1].isdigit()
        ):
            raise EmailInvalid("Enter an email address like name@example.com.", field="email")
        return cls(candidate)

    def __str__(self) -> str:
        return self.value
