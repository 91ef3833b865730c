"""The public side of the marketplace: browse and search, an extension's page, the newest
compatible version and downloads. No sign-in needed."""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Any, cast
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, MediaType, Request, Response, get
from litestar.params import FromPath, QueryParameter

from devforge.application.marketplace.browse_extensions import BrowseExtensions, BrowseQuery
from devforge.application.marketplace.download_extension import (
    DOWNLOAD_KINDS,
    CompatibleVersion,
    DownloadExtension,
    DownloadRequest,
)
from devforge.application.marketplace.manage_dist_tags import ShowDistTags
from devforge.application.marketplace.manage_extensions import GetExtension
from devforge.application.marketplace.search import SearchFilters
from devforge.domain.marketplace.dist_tags import Channel
from devforge.domain.marketplace.listing import SortOrder
from devforge.entrypoints.http.marketplace.optional_caller import MAYBE_BEARER, signed_in_user
from devforge.entrypoints.http.marketplace.schemas import (
    DistTagsResponse,
    DownloadResponse,
    ExtensionResponse,
    ListingPageResponse,
    VersionSummary,
)
from devforge.entrypoints.http.openapi_docs import problems
from devforge.entrypoints.http.schemas import LINE_PATTERN
from devforge.entrypoints.http.stated_rules import SEMVER, TARGET_PLATFORMS

BOT = re.compile(r"(?i)bot\b|crawler|spider|slurp|headless")
Text = Annotated[str | None, QueryParameter(pattern=LINE_PATTERN, max_length=200, description="Words to search for")]
Filter = Annotated[str | None, QueryParameter(pattern=LINE_PATTERN, max_length=64)]
Price = Annotated[
    str | None, QueryParameter(pattern=r"^(free|paid)$(?!\n)", description="free or paid; both when absent")
]
PAID = {"free": False, "paid": True}
Platform = Annotated[
    str,
    QueryParameter(
        pattern=LINE_PATTERN,
        name="targetPlatform",
        max_length=32,
        description="universal, linux-x64, ...",
        schema_extra={"enum": TARGET_PLATFORMS},
    ),
]
ChannelQuery = Annotated[
    Channel | None,
    QueryParameter(description="stable (the default: no pre-releases) or pre-release (the newest version of all)"),
]


INSTALL_HEADER = "X-Devforge-Install"


def client_of(request: Request[Any, Any, Any], user_id: UUID | None) -> str:
    """Who a download counts for: the signed-in user, else the address alone, hashed (kept for
    counting only); the use case prefers an installation whose token the server issued. Nothing
    the caller chooses (a made-up install id, the User-Agent) makes a second client of one
    address: issue 13 found 200 random headers counted 200 times."""
    seen = f"user:{user_id}" if user_id else f"address:{request.client.host if request.client else ''}"
    return hashlib.sha256(seen.encode()).hexdigest()[:32]


class ExtensionCatalogController(Controller):
    path = "/api/extensions"
    tags = ["marketplace"]

    @get(
        "/",
        summary="Browse and search extensions",
        description=(
            "Full-text search (`q`) over name, display name, description and tags, blended with downloads "
            "and recency, with penalties for unverified publishers and deprecated extensions. Filters: "
            "`category`, `tag`, `publisher` (namespace), `targetPlatform`, `price` (free or paid). `sort`: "
            "relevance (default with `q`), downloads (default without), recent, name. Keyset pages: pass "
            "`nextCursor` as `cursor`."
        ),
        responses=problems(400, 422, 429),
    )
    async def browse(
        self,
        handler: FromDishka[BrowseExtensions],
        q: Text = None,
        category: Filter = None,
        tag: Filter = None,
        publisher: Filter = None,
        target_platform: Annotated[
            str | None,
            QueryParameter(
                pattern=LINE_PATTERN, name="targetPlatform", max_length=32, schema_extra={"enum": TARGET_PLATFORMS}
            ),
        ] = None,
        sort: Annotated[SortOrder | None, QueryParameter()] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
        cursor: Annotated[str | None, QueryParameter(pattern=LINE_PATTERN, max_length=500)] = None,
        price: Price = None,
    ) -> Response[ListingPageResponse]:
        filters = SearchFilters(q or "", category, tag, publisher, target_platform, PAID.get(price or ""))
        body = ListingPageResponse.encoded(await handler(BrowseQuery(filters, sort, limit, cursor)))
        return Response(cast(ListingPageResponse, body), media_type=MediaType.JSON)  # bytes go out as they are

    @get(
        "/{extension_id:uuid}",
        summary="Show an extension",
        description="Its listing and published versions (newest last). Unpublished or deleted ones answer 404.",
        responses=problems(400, 404, 429),
    )
    async def show(self, extension_id: FromPath[UUID], handler: FromDishka[GetExtension]) -> ExtensionResponse:
        return ExtensionResponse.of(await handler(None, extension_id))

    @get(
        "/{extension_id:uuid}/download",
        summary="Download an extension",
        description=(
            "A short-lived signed URL of the archive of the newest published version for the platform (or "
            "`version`), with its SHA-256 and the registry's Ed25519 signature (keys: "
            "`/api/extensions/signing-keys`). Without `version`: the version a dist-tag names (`tag`: latest, "
            "pre-release or the publisher's own), else the newest of the `channel` (stable by default, which "
            "never offers a pre-release). Counted once per version, client and day: the signed-in user, else "
            "the installation named by an install token this server issued (`X-Devforge-Install`, from "
            "`POST /api/extensions/installs`), else the caller's address (a token the server did not issue is "
            "ignored); `kind` tells installs from updates; bots are not counted. Anonymous, or signed in "
            "(session token or API key; a bad one "
            "answers 401): a signed-in download lets the user rate the extension. A paid extension needs a "
            "signed-in caller (401 `sign_in_required`) holding an active, unexpired license of its product "
            "(403 `entitlement_required`); nothing is counted or signed when refused. At most "
            "`DEVFORGE_MARKETPLACE_DOWNLOADS_PER_MINUTE` (60) downloads a minute from one address, signed in or "
            "not (429 with `Retry-After`)."
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
        security=MAYBE_BEARER,
    )
    async def download(
        self,
        extension_id: FromPath[UUID],
        request: Request[Any, Any, Any],
        handler: FromDishka[DownloadExtension],
        version: Annotated[
            str | None, QueryParameter(pattern=LINE_PATTERN, max_length=256, schema_extra={"pattern": SEMVER})
        ] = None,
        target_platform: Platform = "universal",
        kind: Annotated[
            str,
            QueryParameter(
                pattern=LINE_PATTERN, description="install or update", schema_extra={"enum": list(DOWNLOAD_KINDS)}
            ),
        ] = "install",
        channel: ChannelQuery = None,
        tag: Annotated[
            str | None,
            QueryParameter(pattern=LINE_PATTERN, max_length=32, description="A dist-tag, e.g. latest or next"),
        ] = None,
    ) -> DownloadResponse:
        bot = BOT.search(request.headers.get("user-agent", "")) is not None
        chosen = channel or Channel.STABLE
        user_id = await signed_in_user(request)
        install_token = request.headers.get(INSTALL_HEADER)
        command = DownloadRequest(
            extension_id,
            client_of(request, user_id),
            version,
            target_platform,
            kind,
            bot,
            channel=chosen,
            tag=tag,
            user_id=user_id,
            address=client_of(request, None),
            install_token=install_token,
        )
        return DownloadResponse.of(await handler(command))

    @get(
        "/{extension_id:uuid}/compatible",
        summary="The newest version compatible with an editor",
        description=(
            "The newest published version whose engine range allows `editorVersion` on `targetPlatform` "
            "(a universal build fits every platform). `channel`: stable (default, no pre-releases) or "
            "pre-release (the newest of all); `prerelease=true` is the older spelling of `channel=pre-release`."
        ),
        responses=problems(400, 404, 422, 429),
    )
    async def compatible(
        self,
        extension_id: FromPath[UUID],
        handler: FromDishka[CompatibleVersion],
        editor_version: Annotated[
            str,
            QueryParameter(
                pattern=LINE_PATTERN,
                name="editorVersion",
                max_length=64,
                description="A semantic version, e.g. 1.85.0",
                schema_extra={"pattern": SEMVER},
            ),
        ],
        target_platform: Platform = "universal",
        channel: ChannelQuery = None,
        prerelease: Annotated[
            bool, QueryParameter(description="Old spelling of channel=pre-release; channel wins when both are given")
        ] = False,
    ) -> VersionSummary:
        chosen = channel or (Channel.PRE_RELEASE if prerelease else Channel.STABLE)
        found = await handler(extension_id, editor_version, target_platform, chosen.allows_prereleases)
        return VersionSummary.of(found)

    @get(
        "/{extension_id:uuid}/dist-tags",
        summary="An extension's dist-tags",
        description=(
            "Tag -> version. `latest` is the newest published, non-yanked stable version and `pre-release` the "
            "newest published, non-yanked pre-release (both move by themselves); other tags are set by the "
            "publisher. A tag names a version number; download it with `tag=`."
        ),
        responses=problems(400, 404, 429),
    )
    async def dist_tags(self, extension_id: FromPath[UUID], handler: FromDishka[ShowDistTags]) -> DistTagsResponse:
        return DistTagsResponse(extension_id, await handler(extension_id))
