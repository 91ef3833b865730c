"""The reserved names list, ``reserved_names.txt`` beside this module, indexed by skeleton."""

from __future__ import annotations

from importlib import resources

from devforge.application.marketplace.name_ports import Confusables
from devforge.domain.marketplace.reserved import ReservedName, parse_reserved
from devforge.domain.marketplace.skeleton import skeleton


class ReservedNamesList:
    def __init__(self, confusables: Confusables, names: list[ReservedName] | None = None) -> None:
        if names is None:
            names = parse_reserved(resources.files(__package__).joinpath("reserved_names.txt").read_text().splitlines())
        prototypes = confusables.prototypes()
        self._by_skeleton = {skeleton(name.name, prototypes): name for name in names}

    def holder(self, skeleton: str) -> ReservedName | None:
        return self._by_skeleton.get(skeleton)
