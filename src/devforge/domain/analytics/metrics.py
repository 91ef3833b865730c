"""A metric's written definition: what a figure means, in words, under a versioned key.

Definitions are versioned: a change to what a metric counts (its events, its filters, its
formula, its text) is a new ``version`` under the same key beside the old one, which stays
readable (``GET /api/analytics/metrics?metric=<key>&version=<n>``); a figure quoted last month
can always be recomputed as it was. ``tests/unit/contracts/metric_definitions.json`` holds every
(key, version)'s text and shape and fails on any change to a stored one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from devforge.domain.analytics.queries import Interval, valid_dimension

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}\.[a-z][a-z0-9_]{0,47}$")
EXTENSION_DIMENSION = "properties.extension_id"
PUBLISHER_DIMENSION = "properties.publisher_id"
CURRENCY_DIMENSION = "properties.currency"
"""Money's figures are one series per currency, named by this dimension."""


class Unit(StrEnum):
    EVENTS = "events"
    PEOPLE = "people"
    """A user when known (a license key sent it, or the install was identified), else an install."""
    INSTALLS = "installs"
    PUBLISHERS = "publishers"
    RATIO = "ratio"
    """Between 0 and 1."""
    STARS = "stars"
    SECONDS = "seconds"
    MINOR_UNITS = "minor_units"
    """Money in a currency's minor units (cents), always broken down by currency."""


class Scope(StrEnum):
    """Whose figure it is, and so who may read it."""

    PLATFORM = "platform"
    """The business as a whole: admins and analysts only."""
    EXTENSION = "extension"
    """Per extension (``properties.extension_id``): also a developer, for their own extensions."""
    PUBLISHER = "publisher"
    """Per publisher (``properties.publisher_id``): also a developer, for their own publishers."""

    @property
    def owner_dimension(self) -> str | None:
        """The dimension a developer's figures are narrowed by (None: developers never see it)."""
        return {Scope.EXTENSION: EXTENSION_DIMENSION, Scope.PUBLISHER: PUBLISHER_DIMENSION}.get(self)


@dataclass(frozen=True, slots=True)
class MetricDefinition:
    """``key`` is ``<group>.<name>`` (``users.daily_active``); ``definition`` says in plain words
    what is counted, from which events, and in which buckets. ``filters`` and ``breakdowns`` are
    the dimensions a caller may narrow or split it by (a column or ``properties.<key>``);
    ``intervals`` the bucket sizes it is meaningful at."""

    key: str
    version: int
    title: str
    definition: str
    unit: Unit
    intervals: frozenset[Interval]
    filters: frozenset[str] = frozenset()
    breakdowns: frozenset[str] = frozenset()
    scope: Scope = Scope.PLATFORM

    def __post_init__(self) -> None:
        if not _KEY.match(self.key):
            raise ValueError(f"a metric key is <group>.<name> in lower case: {self.key!r}")
        if self.version < 1:
            raise ValueError(f"{self.key}: versions start at 1")
        if not self.definition.strip() or not self.intervals:
            raise ValueError(f"{self.key}: a metric has a written definition and at least one interval")
        for dimension in self.filters | self.breakdowns:
            if not valid_dimension(dimension):
                raise ValueError(f"{self.key}: cannot filter or break down by {dimension!r}")
        owner = self.scope.owner_dimension
        if owner is not None and owner not in self.filters:
            raise ValueError(f"{self.key}: a {self.scope} metric is filtered by {owner}")

    @property
    def group(self) -> str:
        return self.key.split(".", 1)[0]
