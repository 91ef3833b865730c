"""The extension manifest: ``extension/package.json`` (preferred) or ``package.json``.

Required: ``name`` and ``publisher`` (1-64 of a-z, 0-9 and '-', not starting or ending with '-'),
``version`` (semver 2.0, without build metadata, since two versions differing only in build
metadata could not be told apart, and not a reserved version such as 0.0.0), ``engines.devforge``
(an engine range), ``license`` (see ``spdx``) and ``main`` (the entry point, a file in the
package, relative to the manifest). Optional: ``displayName`` (up to 100 characters),
``description`` (up to 2,000), ``icon`` (see ``icon``), ``preRelease`` (true marks a pre-release
whatever its number) and ``extensionDependencies`` (a list of ``namespace.name``). Paths in the
manifest are relative to its folder and may not leave it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from devforge.domain.marketplace.engine_range import EngineRange
from devforge.domain.marketplace.icon import icon_findings
from devforge.domain.marketplace.package import ExtensionPackage
from devforge.domain.marketplace.review import CheckResult, Finding
from devforge.domain.marketplace.semver import Version
from devforge.domain.marketplace.spdx import LicenseDeclaration, LicenseExpressions, declared_license
from devforge.domain.shared.errors import RuleViolated

MANIFEST_PATHS = ("extension/package.json", "package.json")
NAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
DEPENDENCY = re.compile(rf"{NAME.pattern}\.{NAME.pattern}")
RESERVED_VERSIONS = frozenset({"0.0.0"})
OPTIONAL_TEXT_LIMITS = {"displayName": 100, "description": 2000}
T = TypeVar("T")


@dataclass(frozen=True)
class Manifest:
    root: str  # the manifest's folder inside the archive: "extension/" or ""
    name: str
    publisher: str
    version: Version
    engine: EngineRange
    license: LicenseDeclaration
    main: str  # archive path of the entry point
    display_name: str | None = None
    description: str | None = None
    icon: str | None = None
    pre_release: bool = False
    dependencies: tuple[str, ...] = ()  # "namespace.name" of the extensions it needs


def read_manifest(files: Mapping[str, bytes]) -> tuple[Manifest | None, list[Finding]]:
    """The manifest, or ``None`` with every problem found (not just the first)."""
    path = next((candidate for candidate in MANIFEST_PATHS if candidate in files), None)
    if path is None:
        return None, [Finding("manifest_missing", "The package has no extension/package.json or package.json.")]
    try:
        raw = json.loads(files[path])
    except (ValueError, UnicodeDecodeError):
        return None, [Finding("manifest_unreadable", f"{path} is not valid JSON.", path)]
    if not isinstance(raw, dict):
        return None, [Finding("manifest_unreadable", f"{path} must hold a JSON object.", path)]
    return _Reader(raw, path, path.removesuffix("package.json")).manifest()


def resolve(root: str, relative: str) -> str | None:
    """An archive path for a manifest path, or ``None`` when it is absolute or climbs out."""
    parts = [part for part in relative.replace("\\", "/").split("/") if part not in ("", ".")]
    if relative.startswith(("/", "\\")) or ".." in parts or not parts:
        return None
    return root + "/".join(parts)


class _Reader:
    def __init__(self, raw: dict[str, Any], path: str, root: str) -> None:
        self.raw, self.path, self.root = raw, path, root
        self.findings: list[Finding] = []

    def manifest(self) -> tuple[Manifest | None, list[Finding]]:
        name = self._field("name", _name)
        publisher = self._field("publisher", _name)
        version = self._field("version", _version)
        engines = self.raw.get("engines")
        engine = self._field(
            "engines.devforge", EngineRange.parse, engines.get("devforge") if isinstance(engines, dict) else None
        )
        license_ = self._field("license", declared_license)
        main = self._field("main", self._path)
        icon = self._field("icon", self._path) if "icon" in self.raw else None
        texts = {
            key: self._field(key, _limited(key, limit)) if key in self.raw else None
            for key, limit in OPTIONAL_TEXT_LIMITS.items()
        }
        pre_release, dependencies = self._pre_release(), self._dependencies()
        if name is None or publisher is None or version is None or engine is None or license_ is None or main is None:
            return None, self.findings
        manifest = Manifest(
            self.root,
            name,
            publisher,
            version,
            engine,
            license_,
            main,
            texts["displayName"],
            texts["description"],
            icon,
            pre_release,
            dependencies,
        )
        return (manifest if not self.findings else None), self.findings

    def _field(self, key: str, parse: Callable[[str], T], value: object = None) -> T | None:
        value = self.raw.get(key) if value is None and "." not in key else value
        if not isinstance(value, str) or not value.strip():
            self.findings.append(
                Finding("manifest_field", f"{self.path}: '{key}' is required and must be text.", self.path)
            )
            return None
        try:
            return parse(value)
        except RuleViolated as error:
            self.findings.append(Finding("manifest_field", f"{self.path}: {error.message}", self.path))
            return None

    def _pre_release(self) -> bool:
        value = self.raw.get("preRelease", False)
        if not isinstance(value, bool):
            message = f"{self.path}: 'preRelease' must be true or false."
            self.findings.append(Finding("manifest_field", message, self.path))
            return False
        return value

    def _dependencies(self) -> tuple[str, ...]:
        value = self.raw.get("extensionDependencies", [])
        if not isinstance(value, list):
            message = f"{self.path}: 'extensionDependencies' must be a list of namespace.name."
            self.findings.append(Finding("manifest_field", message, self.path))
            return ()
        bad = [entry for entry in value if not isinstance(entry, str) or not DEPENDENCY.fullmatch(entry)]
        for entry in bad:
            message = f"{self.path}: 'extensionDependencies' entry {json.dumps(entry)} must be namespace.name."
            self.findings.append(Finding("manifest_field", message, self.path))
        return tuple(dict.fromkeys(entry for entry in value if entry not in bad))

    def _path(self, relative: str) -> str:
        resolved = resolve(self.root, relative)
        if resolved is None:
            raise RuleViolated(f"'{relative}' must be a path inside the package.")
        return resolved


def _name(value: str) -> str:
    if not NAME.fullmatch(value):
        raise RuleViolated(f"'{value}' must be 1-64 characters of a-z, 0-9 and '-', not starting or ending with '-'.")
    return value


def _version(value: str) -> Version:
    version = Version.parse(value)
    if version.build:
        raise RuleViolated(f"'{value}' carries build metadata ('+...'); publish versions without it.")
    if str(version) in RESERVED_VERSIONS:
        raise RuleViolated(f"'{value}' is a reserved version; publish 0.0.1 or later.")
    return version


def _limited(key: str, limit: int) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if len(value) > limit:
            raise RuleViolated(f"'{key}' is longer than {limit} characters.")
        return value

    return parse


class ManifestCheck:
    """The manifest is valid, its license a valid SPDX expression (asked of ``licenses``), its
    entry point and icon are in the package, and a license file it refers to (``SEE LICENSE IN``)
    is there too."""

    name: ClassVar[str] = "manifest"

    def __init__(self, licenses: LicenseExpressions) -> None:
        self._licenses = licenses

    def run(self, package: ExtensionPackage) -> CheckResult:
        manifest, findings = read_manifest(package.files)
        if manifest is not None:
            findings.extend(_license_findings(manifest, self._licenses))
            findings.extend(_content_findings(manifest, package))
        return CheckResult.from_findings(self.name, findings, "The manifest is valid.")


def _license_findings(manifest: Manifest, licenses: LicenseExpressions) -> list[Finding]:
    if not manifest.license.expression:
        return []
    path = manifest.root + "package.json"
    try:
        licenses.identifiers(manifest.license.text)
    except RuleViolated as error:
        return [Finding("manifest_field", f"{path}: {error.message}", path)]
    return []


def _content_findings(manifest: Manifest, package: ExtensionPackage) -> list[Finding]:
    findings: list[Finding] = []
    if not any(path in package.files for path in (manifest.main, manifest.main + ".js", manifest.main + "/index.js")):
        findings.append(Finding("entry_point_missing", f"The entry point '{manifest.main}' is not in the package."))
    if manifest.icon is not None:
        icon = package.files.get(manifest.icon)
        if icon is None:
            findings.append(Finding("icon_missing", f"The icon '{manifest.icon}' is not in the package."))
        else:
            findings.extend(icon_findings(manifest.icon, icon))
    see_file = manifest.license.see_file
    if see_file is not None and package.find(manifest.root + see_file) is None:
        findings.append(Finding("license_file_missing", f"The license file '{see_file}' is not in the package."))
    return findings
