"""Manifest validation: required fields, names, versions, engine ranges, licenses, entry point and icon."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from devforge.adapters.spdx.license_expressions import SpdxLicenseExpressions
from devforge.domain.marketplace.errors import LicenseInvalid
from devforge.domain.marketplace.manifest import ManifestCheck, read_manifest
from devforge.domain.marketplace.review import CheckOutcome
from devforge.domain.marketplace.spdx import parse_license

from .zips import clean_files, manifest, package_of, png

SPDX = SpdxLicenseExpressions()


def check_with(**fields: Any) -> tuple[CheckOutcome, str]:
    files = clean_files({"extension/package.json": json.dumps(manifest(**fields)).encode()})
    result = ManifestCheck(SPDX).run(package_of(files))
    return result.outcome, result.publisher_message


def test_a_clean_manifest_is_read_with_paths_relative_to_its_folder() -> None:
    found, findings = read_manifest(clean_files())
    assert findings == [] and found is not None
    assert (found.name, found.publisher, str(found.version), found.main) == (
        "rainbow-brackets",
        "acme",
        "1.2.0",
        "extension/out/extension.js",
    )
    assert (
        found.engine.text == "^1.80.0"
        and found.license.text == "MIT"
        and found.license.expression
        and found.icon == "extension/images/icon.png"
    )
    assert ManifestCheck(SPDX).run(package_of(clean_files())).outcome is CheckOutcome.PASSED


def test_a_manifest_at_the_archive_root_is_accepted() -> None:
    files = {path.removeprefix("extension/"): data for path, data in clean_files().items()}
    found, findings = read_manifest(files)
    assert findings == [] and found is not None and found.main == "out/extension.js"


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"license": None}, "'license' is required"),
        ({"name": None}, "'name' is required"),
        ({"engines": {}}, "'engines.devforge' is required"),
        ({"main": None}, "'main' is required"),
        ({"version": 120}, "'version' is required and must be text"),
        ({"name": "Rainbow"}, "1-64 characters of a-z"),
        ({"name": "-rainbow"}, "not starting or ending with '-'"),
        ({"name": "a" * 65}, "1-64 characters"),
        ({"publisher": "acme corp"}, "1-64 characters"),
        ({"version": "1.2"}, "not a semantic version"),
        ({"version": "0.0.0"}, "reserved version"),
        ({"version": "1.2.0+build.7"}, "build metadata"),
        ({"engines": {"devforge": "latest"}}, "not a valid engine range"),
        ({"license": "MIT-ish"}, "'MIT-ish' is not on the SPDX license list"),
        ({"main": "../outside.js"}, "must be a path inside the package"),
        ({"main": "./out/missing.js"}, "entry point 'extension/out/missing.js' is not in the package"),
        ({"icon": "images/missing.png"}, "icon 'extension/images/missing.png' is not in the package"),
        ({"displayName": "x" * 101}, "'displayName' is longer than 100 characters"),
        ({"license": "SEE LICENSE IN EULA.txt"}, "license file 'EULA.txt' is not in the package"),
    ],
)
def test_a_broken_manifest_fails_with_the_reason(fields: dict[str, Any], words: str) -> None:
    outcome, message = check_with(**fields)
    assert outcome is CheckOutcome.FAILED and words in message


def test_every_problem_is_reported_not_just_the_first() -> None:
    _, findings = read_manifest({"package.json": json.dumps({"name": "Bad Name", "version": "x"}).encode()})
    assert len(findings) == 6  # name, publisher, version, engine, license, main


@pytest.mark.parametrize(("data", "words"), [(b"{not json", "not valid JSON"), (b"[1, 2]", "JSON object")])
def test_an_unreadable_manifest_fails(data: bytes, words: str) -> None:
    _, findings = read_manifest({"package.json": data})
    assert words in findings[0].message
    assert "no extension/package.json" in read_manifest({"README.md": b"hi"})[1][0].message


def test_the_entry_point_may_omit_its_js_suffix_and_a_see_license_file_is_found() -> None:
    assert check_with(main="out/extension")[0] is CheckOutcome.PASSED
    assert check_with(license="SEE LICENSE IN LICENSE")[0] is CheckOutcome.PASSED


@pytest.mark.parametrize(
    ("icon", "words"),
    [
        (png(64, 64), "64x64 pixels"),
        (png(4096, 128), "4096x128 pixels"),
        (b"GIF89a....", "neither a PNG nor an SVG"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "scripts or event handlers"),
        (b"<svg onload='x()'></svg>", "scripts or event handlers"),
        (png() + random.Random(6).randbytes(1024 * 1024), "larger than 1 MiB"),  # incompressible, not a bomb
    ],
)
def test_an_icon_must_be_a_small_png_or_a_script_free_svg(icon: bytes, words: str) -> None:
    files = clean_files({"extension/images/icon.png": icon})
    result = ManifestCheck(SPDX).run(package_of(files))
    assert result.outcome is CheckOutcome.FAILED and words in result.publisher_message


def test_an_svg_icon_is_recognised_by_its_content() -> None:
    svg = b'<?xml version="1.0"?>\n<!-- logo -->\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>'
    files = clean_files({"extension/images/icon.svg": svg})
    files["extension/package.json"] = json.dumps(manifest(icon="images/icon.svg")).encode()
    assert ManifestCheck(SPDX).run(package_of(files)).outcome is CheckOutcome.PASSED


@pytest.mark.parametrize(
    ("text", "identifiers"),
    [
        ("MIT", ("MIT",)),
        ("mit", ("MIT",)),
        ("(Apache-2.0 OR MIT)", ("Apache-2.0", "MIT")),
        ("GPL-2.0-or-later WITH Classpath-exception-2.0", ("GPL-2.0-or-later",)),
        ("LGPL-2.1+ AND (BSD-3-Clause OR ISC)", ("LGPL-2.1-or-later", "BSD-3-Clause", "ISC")),
        ("BSD-2-Clause-Patent", ("BSD-2-Clause-Patent",)),
        ("LicenseRef-Acme-EULA", ("LicenseRef-Acme-EULA",)),
        ("DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", ("DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2",)),
        ("MIT OR LicenseRef-Commercial", ("MIT", "LicenseRef-Commercial")),
        ("(MIT OR BSD-2-Clause-Patent) AND LicenseRef-x.1", ("MIT", "BSD-2-Clause-Patent", "LicenseRef-x.1")),
        ("Apache-2.0 WITH LLVM-exception", ("Apache-2.0",)),
        ("((MIT AND ISC) OR (Zlib))", ("MIT", "ISC", "Zlib")),
        ("GPL-2.0", ("GPL-2.0-only",)),  # deprecated, under its current name
        ("EUPL-1.2 OR CECILL-2.1 OR Unicode-DFS-2016", ("EUPL-1.2", "CECILL-2.1", "Unicode-DFS-2016")),
    ],
)
def test_spdx_expressions_are_accepted(text: str, identifiers: tuple[str, ...]) -> None:
    assert parse_license(text, SPDX).identifiers == identifiers


def test_unlicensed_and_see_license_are_the_two_non_spdx_forms() -> None:
    assert parse_license("UNLICENSED", SPDX).proprietary
    assert parse_license("SEE LICENSE IN ./EULA.md", SPDX).see_file == "EULA.md"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "MIT OR",
        "(MIT",
        "MIT)",
        "MIT and Apache-2.0",
        "MIT WITH Nothing",
        "Proprietary",
        "MIT; rm -rf",
        "Apache 2.0",
        "LicenseRef-",
        "MIT WITH GPL-2.0",
        "Classpath-exception-2.0 OR MIT",
        "MIT MIT",
        "WITH MIT",
        "MIT/X11",
        "MIT" + " OR MIT" * 60,
    ],
)
def test_other_license_texts_are_refused(text: str) -> None:
    with pytest.raises(LicenseInvalid):
        parse_license(text, SPDX)


@pytest.mark.parametrize(
    "license_", ["BSD-2-Clause-Patent", "LicenseRef-Acme-EULA", "(MIT OR Apache-2.0) AND LicenseRef-Fonts"]
)
def test_the_manifest_check_accepts_any_valid_spdx_expression(license_: str) -> None:
    """Refused before: the check knew about 60 ids and no LicenseRef-."""
    assert check_with(license=license_)[0] is CheckOutcome.PASSED


def test_the_manifest_check_names_the_unknown_id() -> None:
    outcome, message = check_with(license="MIT OR Apache 2.0")
    assert outcome is CheckOutcome.FAILED and "'Apache 2.0' is not on the SPDX license list" in message
