"""Secret scanning finds planted credentials, including our own API keys, and leaves ordinary code alone."""

from __future__ import annotations

import hashlib
import random
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.marketplace.hash_blocklist import HashBlocklistCheck
from devforge.domain.marketplace.review import CheckOutcome
from devforge.domain.marketplace.secret_scan import SecretScanCheck, scan_text, shannon_entropy

from .zips import build_zip, clean_files, package_of

RANDOM = random.Random(42)
ALPHANUMERIC = string.ascii_letters + string.digits


def random_text(length: int, alphabet: str = ALPHANUMERIC) -> str:
    return "".join(RANDOM.choice(alphabet) for _ in range(length))


PLANTED = [
    ("a Dev Forge API key", f"const key = 'dfk_live_{random_text(43)}';"),
    ("an AWS access key id", "aws_access_key_id = AKIA" + random_text(16, string.ascii_uppercase + string.digits)),
    ("a GitHub token", f"token: 'ghp_{random_text(36)}'"),
    ("a GitHub token", f"GH = 'github_pat_{random_text(22)}_{random_text(59)}'"),
    ("a Slack token", f"hook('xoxb-{random_text(12, string.digits)}-{random_text(24)}')"),
    ("a Stripe live key", f"stripe('sk_live_{random_text(24)}')"),
    ("an OpenAI API key", f"openai.key = 'sk-proj-{random_text(48)}'"),
    ("a Google API key", f"maps('AIza{random_text(35)}')"),
    ("a private key", "-----BEGIN RSA PRIVATE KEY-----"),
    ("a private key", "-----BEGIN OPENSSH PRIVATE KEY-----"),
    ("a high-entropy string", f'const clientSecret = "{random_text(40, ALPHANUMERIC + "+/")}";'),
    ("a high-entropy string", f"password: '{random_text(48, '0123456789abcdef')}',"),
]

ORDINARY_CODE = """
import { createHash } from 'crypto';
const integrity = "sha512-9m6Yx7b1w2Q+Zp3YBvFvYwqzS3m0Wn5Wh4t4hK9GdH3cWcXkKZpA1vJw6h0b2h3Yf4yQ0kR1y8v7Q==";
const commit = "3f786850e387550fdab836ed7e6dc881de23001b";
export function activateTheExtensionAndRegisterEveryCommandProvider(context) {}
const tokenKind = "TOKEN_KIND_IDENTIFIER_WITH_A_VERY_LONG_NAME";
const passwordField = document.querySelector("#password-input-field-for-the-login-form");
const url = "node_modules/some-package/dist/index.esm.browser.min.js";
const authHeader = `Bearer ${token}`;
"""


@pytest.mark.parametrize(("kind", "line"), PLANTED)
def test_a_planted_secret_is_found_by_file_and_line_without_being_repeated(kind: str, line: str) -> None:
    (finding,) = scan_text("src/config.js", f"// settings\n{line}\n")
    assert finding.rule == "secret" and finding.line == 2 and finding.path == "src/config.js"
    assert kind in finding.message and "src/config.js, line 2" in finding.message
    secret_part = max(line.replace("'", '"').split('"'), key=len)
    assert secret_part[8:] not in finding.message


def test_ordinary_code_is_not_reported() -> None:
    assert scan_text("src/extension.js", ORDINARY_CODE) == []


def test_a_random_string_without_a_secret_name_is_left_alone() -> None:
    assert scan_text("src/ids.js", f"const fixture = '{random_text(40)}';") == []


def test_the_check_fails_on_a_leaked_devforge_key_and_passes_a_clean_package() -> None:
    leaked = clean_files({"extension/out/publish.js": f"const KEY = 'dfk_live_{random_text(43)}';".encode()})
    result = SecretScanCheck().run(package_of(leaked))
    assert (
        result.outcome is CheckOutcome.FAILED
        and "extension/out/publish.js, line 1: a Dev Forge API key" in result.publisher_message
    )
    assert SecretScanCheck().run(package_of(clean_files())).outcome is CheckOutcome.PASSED


@pytest.mark.parametrize(
    ("path", "before"),
    [
        ("extension/font.woff", b"\x00\x01\n"),
        ("extension/out/a.js", b"// \xff\xfe not UTF-8\n"),
        ("extension/a.js", b"/*\x00*/\n"),
    ],
)
def test_binary_and_non_utf8_files_are_searched_as_bytes(path: str, before: bytes) -> None:
    binary = clean_files({path: before + f"ghp_{random_text(36)}".encode()})
    result = SecretScanCheck().run(package_of(binary))
    assert result.outcome is CheckOutcome.FAILED and f"{path}, line 2: a GitHub token" in result.publisher_message


@given(st.text(min_size=1))
def test_entropy_is_between_zero_and_the_log_of_the_alphabet(text: str) -> None:
    entropy = shannon_entropy(text)
    assert -1e-9 <= entropy <= max(0.0, __import__("math").log2(len(set(text)))) + 1e-9


def test_entropy_separates_random_keys_from_words() -> None:
    assert shannon_entropy("aaaaaaaa") == 0 and shannon_entropy("abcd") == 2
    assert (
        shannon_entropy(random_text(40, ALPHANUMERIC + "+/"))
        > 4.2
        > shannon_entropy("activateTheExtensionAndRegisterEveryCommand")
    )


def test_a_file_or_package_on_the_hash_blocklist_fails() -> None:
    files = clean_files({"extension/out/miner.js": b"known bad payload"})
    bad = hashlib.sha256(b"known bad payload").hexdigest()
    result = HashBlocklistCheck([bad.upper()]).run(package_of(files))
    assert (
        result.outcome is CheckOutcome.FAILED
        and "'extension/out/miner.js' matches a file known to be malicious" in result.publisher_message
    )
    archive = build_zip(clean_files())
    whole = HashBlocklistCheck([hashlib.sha256(archive).hexdigest()]).run(package_of(clean_files()))
    assert whole.outcome is CheckOutcome.FAILED
    assert HashBlocklistCheck([bad]).run(package_of(clean_files())).outcome is CheckOutcome.PASSED


def test_a_random_literal_far_from_any_secret_name_on_a_minified_line_is_not_a_secret() -> None:
    minified = "var a=e.token;" + "x=1;" * 30 + f"var h='{random_text(40)}';"
    assert scan_text("dist/app.min.js", minified) == []
    assert len(scan_text("dist/app.min.js", f"var a=1;const apiKey = '{random_text(40)}';")) == 1
