"""Signed download links: a link opens one key until it expires, and no other string opens
anything (nor crashes: every refusal is ``DownloadLinkInvalid``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.adapters.security.hmac_download_links import HmacDownloadLinks
from devforge.application.common.download_links import DownloadLinkInvalid, attachment_disposition

LINKS = HmacDownloadLinks(b"a-secret-of-enough-length", "https://devforge.test/")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def token_for(key: str, *, minutes: int = 5, filename: str | None = None, links: HmacDownloadLinks = LINKS) -> str:
    return links.url(key, expires_at=NOW + timedelta(minutes=minutes), filename=filename).rsplit("/", 1)[1]


def test_a_link_names_its_key_and_file_name_until_it_expires() -> None:
    url = LINKS.url("ext/a/1.0.0/a.vsix", expires_at=NOW + timedelta(minutes=5), filename="a-1.0.0.vsix")
    assert url.startswith("https://devforge.test/files/")
    grant = LINKS.redeem(url.rsplit("/", 1)[1], NOW + timedelta(minutes=4, seconds=59))
    assert (grant.key, grant.filename) == ("ext/a/1.0.0/a.vsix", "a-1.0.0.vsix")
    with pytest.raises(DownloadLinkInvalid) as expired:
        LINKS.redeem(url.rsplit("/", 1)[1], NOW + timedelta(minutes=5))
    assert expired.value.expired


def test_a_link_made_under_another_secret_does_not_open() -> None:
    other = HmacDownloadLinks(b"another-secret-of-enough-length", "https://devforge.test")
    with pytest.raises(DownloadLinkInvalid) as refused:
        LINKS.redeem(token_for("k", links=other), NOW)
    assert not refused.value.expired


def test_a_link_cannot_be_extended_by_editing_its_payload() -> None:
    payload, mac = token_for("k", minutes=1).split(".")
    longer = token_for("k", minutes=600).split(".")[0]
    with pytest.raises(DownloadLinkInvalid, match="signature"):
        LINKS.redeem(f"{longer}.{mac}", NOW)
    assert LINKS.redeem(f"{payload}.{mac}", NOW).key == "k"


@given(st.text(max_size=300))
def test_any_other_string_is_refused_cleanly(token: str) -> None:
    with pytest.raises(DownloadLinkInvalid):
        LINKS.redeem(token, NOW)


@pytest.mark.parametrize(
    ("filename", "fallback"),
    [("acme-1.0.0.vsix", "acme-1.0.0.vsix"), ('evil"; x=1.vsix', "evil__ x=1.vsix"), ("café.vsix", "caf_.vsix")],
)
def test_the_file_name_header_cannot_be_broken_out_of(filename: str, fallback: str) -> None:
    header = attachment_disposition(filename)
    assert header.startswith(f"attachment; filename=\"{fallback}\"; filename*=UTF-8''")
    assert "\n" not in header and header.count('"') == 2
