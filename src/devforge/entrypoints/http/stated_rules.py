"""Rules the API checks past the door, stated in the OpenAPI document so that a request the schema
calls valid is never refused for its form: a license key's shape, a semantic version, a namespace,
an email address, a domain name, a name that is not blank, a US state, a currency.

The domain keeps checking them, with its own problem codes and messages (``LICENSE_KEY_MALFORMED``
is part of the license clients' contract); these are the same rules in JSON Schema's dialect (ECMA
regular expressions, read by Python's ``re`` too), built from the domain's own constants where it
has them, and never wider than the domain's rule: ``tests/unit/http/test_stated_rules.py`` draws
from each pattern and hands every value to the domain. Some are a little narrower, where the exact
rule needs a look-ahead that generators cannot draw from (an email's 64-character local part).

Each pattern ends with ``$(?!\\n)``: in Python ``$`` also matches before a final line feed.
"""

from __future__ import annotations

import re
from typing import Any

from msgspec import Meta

from devforge.domain.billing.countries import US_STATES as _US_STATES
from devforge.domain.billing.currency import ISO_4217
from devforge.domain.licensing import entitlement, license_key, product
from devforge.domain.marketplace import extension, semver
from devforge.domain.marketplace.manifest import NAME
from devforge.domain.marketplace.version import TARGET_PLATFORMS as _TARGET_PLATFORMS

END = r"$(?!\n)"
_LINE = r"[^\x00-\x1f\x7f-\x9f]"


def _without_group_names(pattern: str) -> str:
    """``(?P<name>...)`` is Python's spelling only; a plain group means the same in both dialects."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


def _any_case(pattern: str) -> str:
    """The domain lower-cases before it matches: an upper-case spelling is as good."""
    return pattern.replace("a-z", "A-Za-z")


def _key_characters() -> str:
    accepted = set(license_key.ALPHABET) | {"O", "I", "L"}  # Crockford's look-alikes are read as 0, 1, 1
    return "".join(sorted(accepted | {char.lower() for char in accepted}))


_SEPARATORS = "[ -]*"
LICENSE_KEY = (
    f"^{_SEPARATORS}(?:[Dd]{_SEPARATORS}[Ff]{_SEPARATORS})?"
    f"(?:[{_key_characters()}]{_SEPARATORS}){{{license_key.RANDOM_CHARACTERS + 1}}}{END}"
)
"""Any case, spaces and dashes anywhere, the ``DF`` prefix optional: what ``LicenseKey.parse`` reads
(its check character is not a pattern: a key with a typo is still refused)."""

SEMVER = f"^{_without_group_names(semver.SEMVER.pattern)}{END}"
SEMVER_MAX_LENGTH = semver.MAX_LENGTH

PRODUCT_CODE = f"^{_any_case(product.CODE.pattern)}{END}"
ENTITLEMENT_CODE = f"^{_any_case(entitlement.CODE.pattern)}{END}"

NAMESPACE = f"^{NAME.pattern}{END}"
"""A publisher's namespace or an extension's name: 1-64 of a-z, 0-9 and '-', not at either end."""

TAG = f"^{_any_case(extension.TAG.pattern)}{END}"
CATEGORIES = sorted(extension.CATEGORIES)
TARGET_PLATFORMS = sorted(_TARGET_PLATFORMS)

NOT_BLANK = rf"^{_LINE}*[^\s\x00-\x1f\x7f-\x9f]{_LINE}*{END}"
"""One line with something in it besides spaces (names are trimmed before their length counts)."""

_ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TOP_LABEL = "[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL = rf"^(?:{_ATOM}{{1,64}}|{_ATOM}{{1,16}}(?:\.{_ATOM}{{1,15}}){{1,3}})@(?:{_LABEL}\.)+{_TOP_LABEL}{END}"
"""A dot-atom local part of at most 64 characters (dotted ones at most four parts of 16), a domain
of at least two DNS labels whose last is not a number."""
EMAIL_MAX_LENGTH = 254

DOMAIN_NAME = rf"^(?:{_LABEL}\.)+[A-Za-z]{{2,63}}{END}"

US_STATES = sorted(_US_STATES)
CURRENCIES = sorted(ISO_4217)
"""The ISO 4217 codes the service accepts (any case there; upper case here)."""


def stated(**keywords: Any) -> Meta:
    """A msgspec ``Meta`` that only states a rule in the schema (``openapi_structs`` reads it):
    ``stated(pattern=LICENSE_KEY)``, ``stated(maxLength=128)``."""
    return Meta(extra_json_schema=keywords)
