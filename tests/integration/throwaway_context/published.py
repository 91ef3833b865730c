"""What the throwaway context publishes: one schema, frozen once published."""

from __future__ import annotations

from dataclasses import dataclass

from devforge.application.common.integration_events import IntegrationEvent


@dataclass(frozen=True, kw_only=True)
class PingedV1(IntegrationEvent):
    NAME = "throwaway.pinged"
    VERSION = 1
    source: str
