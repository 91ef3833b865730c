"""Bodies of the marketplace routes (camelCase on the wire)."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import asdict
from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from devforge.application.marketplace.browse_extensions import BrowsePage
from devforge.application.marketplace.developer_dashboard import Dashboard
from devforge.application.marketplace.download_extension import DownloadView
from devforge.application.marketplace.views import ExtensionView, PublisherView, ReviewView, UploadedVersion
from devforge.domain.marketplace.listing import Listing
from devforge.domain.marketplace.publisher import Publisher
from devforge.domain.marketplace.review import Finding
from devforge.domain.marketplace.version import ExtensionVersion
from devforge.entrypoints.http.schemas import MULTILINE, NO_CONTROL_CHARACTERS, CamelStruct
from devforge.entrypoints.http.stated_rules import (
    CATEGORIES,
    DOMAIN_NAME,
    NAMESPACE,
    NOT_BLANK,
    SEMVER,
    TAG,
    TARGET_PLATFORMS,
    stated,
)

Name = Annotated[
    str,
    NO_CONTROL_CHARACTERS,
    Meta(min_length=1, max_length=64, examples=["acme"], description="a-z, 0-9 and '-'"),
    stated(pattern=NAMESPACE),
]
DisplayName = Annotated[
    str,
    NO_CONTROL_CHARACTERS,
    Meta(min_length=1, max_length=100, examples=["Acme Tools"], description="Runs of spaces count as one"),
    stated(pattern=NOT_BLANK),
]
VersionText = Annotated[
    str,
    NO_CONTROL_CHARACTERS,
    Meta(min_length=1, max_length=256, examples=["1.2.0"], description="semver 2.0"),
    stated(pattern=SEMVER),
]
Platform = Annotated[
    str,
    NO_CONTROL_CHARACTERS,
    Meta(min_length=1, max_length=32, examples=["universal"], description="universal, web, linux-x64, ..."),
    stated(enum=TARGET_PLATFORMS),
]
Reason = Annotated[str, MULTILINE, Meta(max_length=2000, examples=["The README shows the template text."])]


class RegisterPublisherRequest(CamelStruct):
    namespace: Name
    display_name: DisplayName


class MemberRequest(CamelStruct):
    user_id: Annotated[UUID, Meta(examples=["0b7e4a56-3f2a-4c1d-9b7e-4a563f2a9c1d"])]


class StartVerificationRequest(CamelStruct):
    domain: Annotated[
        str,
        NO_CONTROL_CHARACTERS,
        Meta(min_length=4, max_length=253, examples=["acme.example"]),
        stated(pattern=DOMAIN_NAME),
    ]


class TxtRecord(CamelStruct):
    name: Annotated[str, Meta(examples=["_devforge-challenge.acme.example"])]
    value: Annotated[str, Meta(examples=["devforge-verification=Zk3..."])]


class PublisherResponse(CamelStruct):
    id: UUID
    namespace: str
    display_name: str
    owner_id: UUID
    members: list[UUID]
    verified: bool
    domain: str | None
    verification_record: TxtRecord | None
    created_at: datetime

    @classmethod
    def of(cls, publisher: Publisher) -> PublisherResponse:
        challenge = PublisherView(publisher).challenge
        return cls(
            publisher.id,
            publisher.namespace,
            publisher.display_name,
            publisher.owner_id,
            sorted(publisher.members, key=str),
            publisher.verified,
            publisher.domain,
            TxtRecord(*challenge) if challenge else None,
            publisher.created_at,
        )


class ListingFields(CamelStruct):
    display_name: DisplayName
    description: Annotated[str, MULTILINE, Meta(max_length=2000, examples=["Colours matching brackets."])] = ""
    tags: Annotated[
        list[Annotated[str, NO_CONTROL_CHARACTERS, Meta(max_length=32), stated(pattern=TAG)]],
        Meta(max_length=20, examples=[["brackets"]]),
    ] = []
    categories: Annotated[
        list[Annotated[str, NO_CONTROL_CHARACTERS, Meta(max_length=32), stated(enum=CATEGORIES)]],
        Meta(max_length=10, examples=[["themes"]]),
    ] = []
    license_product_id: Annotated[
        UUID | None,
        Meta(description="A licensing product of yours: the extension is paid while linked; null makes it free"),
    ] = None


class CreateExtensionRequest(ListingFields, kw_only=True):
    publisher_id: UUID
    name: Name


UpdateExtensionRequest = ListingFields


class VersionSummary(CamelStruct):
    version: str
    target_platform: str
    state: str
    prerelease: bool
    sha256: str
    size: int
    uploaded_at: datetime
    signature: str | None
    signing_key_id: str | None
    engine_range: Annotated[str | None, Meta(examples=["^1.80.0"])]
    yanked: bool
    yank_reason: str | None
    published_at: Annotated[datetime | None, Meta(description="Approval; unpublishing is open for 72 hours")] = None

    @classmethod
    def of(cls, version: ExtensionVersion) -> VersionSummary:
        return cls(
            version.version,
            version.target_platform,
            version.state.value,
            version.prerelease,
            version.sha256,
            version.size,
            version.uploaded_at,
            version.signature,
            version.signing_key_id,
            version.engine_range,
            version.yanked,
            version.yank_reason,
            version.publication,
        )


class ExtensionResponse(CamelStruct):
    id: UUID
    publisher_id: UUID
    namespace: str
    name: str
    display_name: str
    description: str
    tags: list[str]
    categories: list[str]
    created_at: datetime
    updated_at: datetime
    deprecation: Annotated[str | None, Meta(description="Why it is deprecated; null while it is not")]
    replacement: Annotated[str | None, Meta(examples=["acme.brackets-pro"])]
    versions: list[VersionSummary]
    dist_tags: Annotated[dict[str, str], Meta(examples=[{"latest": "1.2.0", "next": "1.3.0"}])] = {}
    paid: Annotated[bool, Meta(description="Downloads need an active license of `licenseProductId`")] = False
    license_product_id: UUID | None = None
    rating_count: int = 0
    rating_average: Annotated[float, Meta(description="1.0-5.0 when rated; 0.0 while unrated")] = 0.0

    @classmethod
    def of(cls, view: ExtensionView) -> ExtensionResponse:
        extension = view.extension
        return cls(
            extension.id,
            extension.publisher_id,
            view.namespace,
            extension.name,
            extension.display_name,
            extension.description,
            list(extension.tags),
            list(extension.categories),
            extension.created_at,
            extension.updated_at,
            extension.deprecation,
            extension.replacement,
            [VersionSummary.of(version) for version in view.versions],
            view.dist_tags,
            paid=extension.paid,
            license_product_id=extension.license_product_id,
            rating_count=extension.rating_count,
            rating_average=extension.rating_average,
        )


class UploadResponse(CamelStruct):
    version_id: UUID
    extension_id: UUID
    version: str
    target_platform: str
    state: Annotated[str, Meta(examples=["uploaded"])]
    sha256: str
    size: int
    review_url: Annotated[str, Meta(examples=["/api/extensions/…/versions/1.2.0/review?targetPlatform=universal"])]

    @classmethod
    def of(cls, uploaded: UploadedVersion) -> UploadResponse:
        url = review_url(uploaded.extension_id, uploaded.version, uploaded.target_platform)
        return cls(
            uploaded.version_id,
            uploaded.extension_id,
            uploaded.version,
            uploaded.target_platform,
            uploaded.state,
            uploaded.sha256,
            uploaded.size,
            url,
        )


def review_url(extension_id: UUID, version: str, platform: str) -> str:
    return f"/api/extensions/{extension_id}/versions/{version}/review?targetPlatform={platform}"


class VersionSlotRequest(CamelStruct):
    version: VersionText
    target_platform: Platform = "universal"


class YankRequest(CamelStruct):
    version: VersionText
    reason: Reason
    target_platform: Platform = "universal"


class DistTagRequest(CamelStruct):
    version: VersionText


class DistTagsResponse(CamelStruct):
    extension_id: UUID
    dist_tags: Annotated[
        dict[str, str],
        Meta(description="Tag -> version number", examples=[{"latest": "1.2.0", "pre-release": "1.3.0-beta.1"}]),
    ]


class DeprecateRequest(CamelStruct):
    message: Annotated[str, MULTILINE, Meta(min_length=1, max_length=500, examples=["Merged into Brackets Pro."])]
    replacement: Annotated[str, NO_CONTROL_CHARACTERS, Meta(max_length=129, examples=["acme.brackets-pro"])] | None = (
        None
    )


class DecisionRequest(CamelStruct):
    version: VersionText
    target_platform: Platform = "universal"
    reason: Reason = ""


class FindingResponse(CamelStruct, omit_defaults=True):
    rule: Annotated[str, Meta(examples=["dynamic_code"])]
    severity: Annotated[str, Meta(examples=["medium"], description="low, medium (a reviewer decides) or high (blocks)")]
    message: Annotated[str, Meta(examples=["out/extension.js, line 12: runs code built at run time with 'eval'."])]
    path: Annotated[str | None, Meta(examples=["extension/out/extension.js"])] = None
    line: Annotated[int | None, Meta(examples=[12])] = None

    @classmethod
    def of(cls, finding: Finding) -> FindingResponse:
        return cls(finding.rule, finding.severity.value, finding.message, finding.path, finding.line)


class CheckResponse(CamelStruct, omit_defaults=True):
    check: Annotated[str, Meta(examples=["archive_safety"])]
    outcome: Annotated[str, Meta(examples=["failed"], description="passed, failed, errored or skipped")]
    enforced: bool
    required: bool
    message: Annotated[str, Meta(description="For the publisher")]
    review_round: int
    recorded_at: datetime
    detail: Annotated[str | None, Meta(description="Administrators only")] = None
    findings: Annotated[list[FindingResponse], Meta(description="What the check found, each with file and line")] = []


class TransitionResponse(CamelStruct):
    from_state: str
    to_state: str
    at: datetime
    reason: str
    actor_id: UUID | None


class ReviewResponse(CamelStruct):
    extension_id: UUID
    version: str
    target_platform: str
    state: str
    review_round: int
    checks: list[CheckResponse]
    history: list[TransitionResponse]

    @classmethod
    def of(cls, view: ReviewView) -> ReviewResponse:
        version = view.version
        checks = [
            CheckResponse(
                c.check,
                c.outcome,
                c.enforced,
                c.required,
                c.message,
                c.review_round,
                c.recorded_at,
                c.detail,
                [FindingResponse.of(finding) for finding in c.findings],
            )
            for c in view.checks
        ]
        history = [
            TransitionResponse(step.from_state.value, step.to_state.value, step.at, step.reason, step.actor_id)
            for step in view.history
        ]
        return cls(
            version.extension_id,
            version.version,
            version.target_platform,
            version.state.value,
            version.review_round,
            checks,
            history,
        )


class VersionStateResponse(CamelStruct):
    extension_id: UUID
    version: str
    target_platform: str
    state: str
    review_url: str

    @classmethod
    def of(cls, version: ExtensionVersion) -> VersionStateResponse:
        url = review_url(version.extension_id, version.version, version.target_platform)
        return cls(version.extension_id, version.version, version.target_platform, version.state.value, url)


class RevenueAtAGlanceResponse(CamelStruct):
    """A publisher's revenue in one currency (integer minor units; this month: the calendar month so far)."""

    publisher_id: UUID
    currency: str
    exponent: int
    gross_this_month: int
    net_this_month: int
    paid_this_month: int
    pending: int
    held: int
    available: int
    next_payout_on: datetime
    next_payout_amount: int
    next_payout_minimum: int
    revenue_url: str
    statements_url: str


class PayoutAccountAtAGlanceResponse(CamelStruct):
    """A publisher's payout account: its state (not_started, pending, restricted, enabled) and what
    the provider still needs, in plain words; ``accountUrl`` shows it and (POST) starts onboarding."""

    publisher_id: UUID
    state: str
    payouts_enabled: bool
    missing: list[str]
    account_url: str


class DashboardResponse(CamelStruct):
    onboarding: dict[str, bool]
    publishers: list[PublisherResponse]
    extensions: list[ExtensionResponse]
    revenue: list[RevenueAtAGlanceResponse]
    payout_accounts: list[PayoutAccountAtAGlanceResponse]

    @classmethod
    def of(cls, dashboard: Dashboard) -> DashboardResponse:
        return cls(
            dashboard.onboarding,
            [PublisherResponse.of(publisher) for publisher in dashboard.publishers],
            [ExtensionResponse.of(view) for view in dashboard.extensions],
            [RevenueAtAGlanceResponse(**asdict(figure)) for figure in dashboard.revenue],
            [
                PayoutAccountAtAGlanceResponse(
                    glance.publisher_id, glance.state, glance.payouts_enabled, list(glance.missing), glance.account_url
                )
                for glance in dashboard.payout_accounts
            ],
        )


class ListingResponse(CamelStruct):
    id: UUID
    namespace: str
    name: str
    display_name: str
    description: str
    tags: list[str]
    categories: list[str]
    platforms: list[str]
    latest_version: str
    verified: bool
    deprecated: bool
    downloads: int
    updated_at: datetime
    rating_count: int = 0
    rating_average: Annotated[float, Meta(description="1.0-5.0 when rated; 0.0 while unrated")] = 0.0
    paid: bool = False

    @classmethod
    def of(cls, listing: Listing) -> ListingResponse:
        return cls(
            listing.extension_id,
            listing.namespace,
            listing.name,
            listing.display_name,
            listing.description,
            list(listing.tags),
            list(listing.categories),
            list(listing.platforms),
            listing.latest_version,
            listing.verified,
            listing.deprecated,
            listing.downloads,
            listing.updated_at,
            rating_count=listing.rating_count,
            rating_average=listing.rating_average,
            paid=listing.paid,
        )


class ListingPageResponse(CamelStruct):
    items: list[ListingResponse]
    next_cursor: Annotated[str | None, Meta(description="Pass as `cursor` for the next page; null on the last")]

    @classmethod
    def of(cls, found: BrowsePage) -> ListingPageResponse:
        return cls([ListingResponse.of(listing) for listing in found.listings], found.next_cursor)

    @staticmethod
    def encoded(found: BrowsePage) -> bytes:
        """The JSON of ``of(found)``, byte for byte, from each listing's JSON encoded once: a
        listing is an immutable object the search index hands out until it changes, so its bytes
        are kept beside it (a building of 20 response structs and their encoding was a third of
        a cached search's CPU)."""
        items = b",".join(map(_encoded_listing, found.listings))
        return b'{"items":[' + items + b'],"nextCursor":' + _ENCODE(found.next_cursor) + b"}"


_ENCODE = msgspec.json.Encoder().encode
_ENCODED: OrderedDict[int, tuple[Listing, bytes]] = OrderedDict()  # id -> the listing (alive: id not reused), its JSON
MAX_ENCODED = 8_192
"""Listings whose JSON is kept, least recently shown dropped first: about 0.65 KiB each, so under 6
MiB. The search bench's Zipf mix shows some 11,000 distinct listings: with 8,192 kept, a page
encodes 0.3 listings anew (1.4 µs each; 1.9 with 4,096, 6 µs more CPU a page); a sweep's random
words showed 16,000 of 20,000, 12 MiB of every API process when all were kept (bench/README.md,
issue 12)."""


def _encoded_listing(listing: Listing) -> bytes:
    key = id(listing)
    known = _ENCODED.get(key)
    if known is not None and known[0] is listing:
        _ENCODED.move_to_end(key)
        return known[1]
    body = _ENCODE(ListingResponse.of(listing))
    _ENCODED[key] = (listing, body)
    if len(_ENCODED) > MAX_ENCODED:
        _ENCODED.popitem(last=False)
    return body


class DownloadResponse(CamelStruct):
    url: Annotated[str, Meta(description="Short-lived signed URL of the archive", examples=["https://cdn.example/…"])]
    expires_at: datetime
    filename: str
    version: str
    target_platform: str
    size: int
    sha256: Annotated[str, Meta(description="Hex SHA-256 of the archive: verify it after downloading")]
    signature: Annotated[str | None, Meta(description="Ed25519 by the registry over the raw digest, base64")]
    signing_key_id: str | None
    manifest: Annotated[
        str | None,
        Meta(
            description=(
                "The signed manifest of the artifact's identity, canonical JSON: format, publisher, extension, "
                "version, target_platform, sha256, size, signed_at, kid. Null for versions approved before "
                "manifests existed (their digest signature still verifies)"
            ),
            examples=[
                '{"extension":"brackets","format":"devforge-artifact-manifest/v1","kid":"ed25519-3f2a9c1d0b7e4a56",'
                '"publisher":"acme","sha256":"9f86d0…","signed_at":"2026-12-07T01:00:00Z","size":5120,'
                '"target_platform":"universal","version":"1.3.0"}'
            ],
        ),
    ] = None
    manifest_signature: Annotated[
        str | None,
        Meta(description="Ed25519 by the key `kid` (inside the manifest) over the manifest's exact UTF-8 bytes"),
    ] = None

    @classmethod
    def of(cls, view: DownloadView) -> DownloadResponse:
        version = view.version
        return cls(
            view.url,
            view.expires_at,
            view.filename,
            version.version,
            version.target_platform,
            version.size,
            version.sha256,
            version.signature,
            version.signing_key_id,
            version.manifest,
            version.manifest_signature,
        )
