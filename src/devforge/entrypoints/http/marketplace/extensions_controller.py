"""``/api/extensions``: a publisher's members create, edit and delete extensions, upload versions,
follow (or re-run) their review, unpublish them and keep the extension's dist-tags."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka
from litestar import Controller, Request, delete, get, post, put
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import FromPath, JSONBody, PathParameter, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from devforge.application.common.actor import Actor
from devforge.application.marketplace.manage_dist_tags import RemoveDistTagHandler, SetDistTagHandler
from devforge.application.marketplace.manage_extensions import (
    CreateExtension,
    CreateExtensionHandler,
    DeleteExtensionHandler,
    ExtensionListing,
    UpdateExtensionHandler,
)
from devforge.application.marketplace.request_review import RequestReviewHandler
from devforge.application.marketplace.reviewing import VersionSlot
from devforge.application.marketplace.show_review import ShowReview
from devforge.application.marketplace.unpublish_version import UnpublishVersionHandler
from devforge.application.marketplace.upload_version import UploadVersion, UploadVersionHandler
from devforge.application.marketplace.withdraw import DeprecateExtensionHandler, YankVersionHandler
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.marketplace.package_body import package_body
from devforge.entrypoints.http.marketplace.schemas import (
    CreateExtensionRequest,
    DeprecateRequest,
    DistTagRequest,
    DistTagsResponse,
    ExtensionResponse,
    ReviewResponse,
    UpdateExtensionRequest,
    UploadResponse,
    VersionSlotRequest,
    VersionStateResponse,
    VersionSummary,
    YankRequest,
)
from devforge.entrypoints.http.openapi_docs import problems
from devforge.entrypoints.http.problems import FieldError, ProblemDetails
from devforge.entrypoints.http.schemas import LINE_PATTERN
from devforge.entrypoints.http.stated_rules import SEMVER, TARGET_PLATFORMS

UPLOAD_BODY_CEILING = 512 * 1_048_576
"""Litestar's own cap on the upload route; the configured ``max_package_bytes`` (below it) is
what refuses a package, as soon as the announced length or the streamed bytes pass it."""

TOO_LARGE = {
    413: ResponseSpec(
        data_container=ProblemDetails,
        description="The package is larger than DEVFORGE_MAX_PACKAGE_BYTES (refused on Content-Length when sent)",
        media_type="application/problem+json",
        examples=[
            Example(
                summary="package_too_large",
                value=ProblemDetails(
                    type="https://docs.devforge.dev/problems/package_too_large",
                    title="Request Entity Too Large",
                    status=413,
                    detail="The package is larger than the limit of 52,428,800 bytes.",
                    code="package_too_large",
                    errors=[FieldError("body", "The package is larger than the limit of 52,428,800 bytes.")],
                ),
            )
        ],
        generate_examples=False,  # openapi_docs.NO_GENERATED_EXAMPLES
    )
}

PlatformQuery = Annotated[
    str,
    QueryParameter(
        pattern=LINE_PATTERN,
        name="targetPlatform",
        description="universal, linux-x64, ...",
        schema_extra={"enum": TARGET_PLATFORMS},
    ),
]
VersionPath = Annotated[
    str, PathParameter(pattern=LINE_PATTERN, description="A semantic version", schema_extra={"pattern": SEMVER})
]
TagPath = Annotated[
    str, PathParameter(pattern=LINE_PATTERN, description="Your own tag, e.g. next (latest and pre-release move alone)")
]


def listing(data: UpdateExtensionRequest) -> ExtensionListing:
    return ExtensionListing(
        data.display_name, data.description, tuple(data.tags), tuple(data.categories), data.license_product_id
    )


class ExtensionsController(Controller):
    path = "/api/extensions"
    tags = ["marketplace"]
    guards = [require(MarketplacePermission.EXTENSIONS_PUBLISH, override=MarketplacePermission.EXTENSIONS_REVIEW)]
    dependencies = GRANTED
    security = BEARER

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Create an extension",
        description=(
            "Under one of your publishers. The name and display name are refused (409 `name_squatted`, naming "
            "the other name) when they look like any extension's names in the registry, deleted ones "
            "included (the same Unicode confusable skeleton, or one edit or less from one), or are reserved "
            "(unless the publisher verified a matching domain). At most "
            "`DEVFORGE_MARKETPLACE_EXTENSIONS_PER_DAY` per account (429 with `Retry-After`). "
            "`licenseProductId` links a licensing product of yours: a paid extension downloads only for "
            "holders of an active license of it."
        ),
        responses=problems(400, 401, 403, 404, 409, 422, 429),
    )
    async def create(
        self,
        data: JSONBody[CreateExtensionRequest],
        actor: NamedDependency[Actor],
        handler: FromDishka[CreateExtensionHandler],
    ) -> ExtensionResponse:
        command = CreateExtension(data.publisher_id, data.name, listing(data))
        return ExtensionResponse.of(await handler(actor, command))

    @put(
        "/{extension_id:uuid}",
        summary="Update an extension's listing",
        description=(
            "Display name, description, tags, categories and `licenseProductId` (a licensing product of yours: "
            "the extension is paid while linked; null or absent makes it free; someone else's or a missing "
            "product answers 422 `license_product_invalid`). Someone else's extension answers 404."
        ),
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def update(
        self,
        extension_id: FromPath[UUID],
        data: JSONBody[UpdateExtensionRequest],
        actor: NamedDependency[Actor],
        handler: FromDishka[UpdateExtensionHandler],
    ) -> ExtensionResponse:
        view = await handler(actor, extension_id, listing(data))
        return ExtensionResponse.of(view)

    @delete(
        "/{extension_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete an extension",
        description=(
            "Its name and every (version, platform) it used stay taken for good. Refused (409 "
            "`extension_has_dependents`, naming them) while another live extension's published version "
            "declares it in `extensionDependencies`."
        ),
        responses=problems(400, 401, 403, 404, 409, 429),
    )
    async def remove(
        self,
        extension_id: FromPath[UUID],
        actor: NamedDependency[Actor],
        handler: FromDishka[DeleteExtensionHandler],
    ) -> None:
        await handler(actor, extension_id)

    @post(
        "/{extension_id:uuid}/versions",
        status_code=HTTP_202_ACCEPTED,
        request_max_body_size=UPLOAD_BODY_CEILING,
        summary="Upload a version",
        description=(
            "The request body is the package archive (`Content-Type: application/zip`), streamed; "
            "`version` and `targetPlatform` name the slot, which is never reused, even after deletion "
            "(409 `version_slot_taken`). Over `DEVFORGE_MAX_PACKAGE_BYTES` answers 413 `package_too_large`. "
            "Answers at once with the review URL; the review runs in the background. A CI may use an API "
            "key with the `extensions:publish` scope."
        ),
        responses=problems(400, 401, 403, 404, 409, 422, 429) | TOO_LARGE,
    )
    async def upload(
        self,
        extension_id: FromPath[UUID],
        request: Request[Any, Any, Any],
        actor: NamedDependency[Actor],
        handler: FromDishka[UploadVersionHandler],
        version: Annotated[
            str,
            QueryParameter(pattern=LINE_PATTERN, name="version", min_length=1, max_length=256, description="semver"),
        ],
        target_platform: PlatformQuery = "universal",
    ) -> UploadResponse:
        announced = request.headers.get("content-length", "")
        size = int(announced) if announced.isdigit() else None
        command = UploadVersion(extension_id, version, target_platform, package_body(request), announced_bytes=size)
        return UploadResponse.of(await handler(actor, command))

    @post(
        "/{extension_id:uuid}/review",
        status_code=HTTP_202_ACCEPTED,
        summary="Re-run a version's review",
        description="For a version that is not approved (after a fix on our side, or a reviewer's doubt).",
        responses=problems(400, 401, 403, 404, 409, 429),
    )
    async def rerun(
        self,
        extension_id: FromPath[UUID],
        data: JSONBody[VersionSlotRequest],
        actor: NamedDependency[Actor],
        handler: FromDishka[RequestReviewHandler],
    ) -> VersionStateResponse:
        slot = VersionSlot(extension_id, data.version, data.target_platform)
        return VersionStateResponse.of(await handler(actor, slot))

    @post(
        "/{extension_id:uuid}/yank",
        status_code=HTTP_200_OK,
        summary="Yank a published version",
        description=(
            "Withdraw a version with a message: it is no longer picked as the newest or compatible version "
            "and leaves the CDN, but stays downloadable by its number for lockfiles that pin it."
        ),
        responses=problems(400, 401, 403, 404, 409, 422, 429),
    )
    async def yank(
        self,
        extension_id: FromPath[UUID],
        data: JSONBody[YankRequest],
        actor: NamedDependency[Actor],
        handler: FromDishka[YankVersionHandler],
    ) -> VersionSummary:
        slot = VersionSlot(extension_id, data.version, data.target_platform)
        return VersionSummary.of(await handler(actor, slot, data.reason))

    @post(
        "/{extension_id:uuid}/deprecate",
        status_code=HTTP_200_OK,
        summary="Deprecate an extension",
        description="With a message and, optionally, the extension to use instead; it then ranks lower in search.",
        responses=problems(400, 401, 403, 404, 422, 429),
    )
    async def deprecate(
        self,
        extension_id: FromPath[UUID],
        data: JSONBody[DeprecateRequest],
        actor: NamedDependency[Actor],
        handler: FromDishka[DeprecateExtensionHandler],
    ) -> ExtensionResponse:
        return ExtensionResponse.of(await handler(actor, extension_id, data.message, data.replacement))

    @get(
        "/{extension_id:uuid}/versions/{version:str}/review",
        summary="A version's review",
        description=(
            "The state, every check of the latest round (outcome, switches, the publisher-facing message; "
            "reviewers also see `detail`) and every transition with its reason."
        ),
        responses=problems(400, 401, 403, 404, 429),
    )
    async def review(
        self,
        extension_id: FromPath[UUID],
        version: VersionPath,
        actor: NamedDependency[Actor],
        handler: FromDishka[ShowReview],
        target_platform: PlatformQuery = "universal",
    ) -> ReviewResponse:
        slot = VersionSlot(extension_id, version, target_platform)
        return ReviewResponse.of(await handler(actor, slot))

    @delete(
        "/{extension_id:uuid}/versions/{version:str}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Unpublish a version",
        description=(
            "Only within 72 hours of its publication (approval), and only while no other live extension "
            "depends on this one, unless another published, non-yanked version remains; refusals are 409 "
            "`unpublish_refused` naming the dependents or when the 72 hours ended. The (version, platform) "
            "slot stays taken; the listing, dist-tags and CDN follow. A retry answers 204 again."
        ),
        responses=problems(400, 401, 403, 404, 409, 429),
    )
    async def unpublish(
        self,
        extension_id: FromPath[UUID],
        version: VersionPath,
        actor: NamedDependency[Actor],
        handler: FromDishka[UnpublishVersionHandler],
        target_platform: PlatformQuery = "universal",
    ) -> None:
        await handler(actor, VersionSlot(extension_id, version, target_platform))

    @put(
        "/{extension_id:uuid}/dist-tags/{tag:str}",
        summary="Set a dist-tag",
        description=(
            "Points a tag of your own (1-32 of a-z, 0-9 and '-', starting with a letter) at a published, "
            "non-yanked version; moves it when it exists. `latest` and `pre-release` answer 409 "
            "`dist_tag_reserved`. Answers every tag of the extension."
        ),
        responses=problems(400, 401, 403, 404, 409, 422, 429),
    )
    async def set_dist_tag(
        self,
        extension_id: FromPath[UUID],
        tag: TagPath,
        data: JSONBody[DistTagRequest],
        actor: NamedDependency[Actor],
        handler: FromDishka[SetDistTagHandler],
    ) -> DistTagsResponse:
        tags = await handler(actor, extension_id, tag, data.version)
        return DistTagsResponse(extension_id, tags)

    @delete(
        "/{extension_id:uuid}/dist-tags/{tag:str}",
        status_code=HTTP_200_OK,
        summary="Remove a dist-tag",
        description="One of your own tags; `latest` and `pre-release` answer 409. Answers the tags left.",
        responses=problems(400, 401, 403, 404, 409, 422, 429),
    )
    async def remove_dist_tag(
        self,
        extension_id: FromPath[UUID],
        tag: TagPath,
        actor: NamedDependency[Actor],
        handler: FromDishka[RemoveDistTagHandler],
    ) -> DistTagsResponse:
        tags = await handler(actor, extension_id, tag)
        return DistTagsResponse(extension_id, tags)
