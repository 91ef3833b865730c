"""``GET /files/{token}``: the download behind a signed link made by local-disk (or in-memory)
storage. Whoever holds an unexpired link gets that one blob, streamed; nothing else is needed,
and a tampered or expired link gets nothing."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka
from litestar import Controller, Response, get
from litestar.datastructures import ResponseHeader
from litestar.response import Stream

from devforge.application.common.download_links import DownloadLinkInvalid, attachment_disposition
from devforge.application.common.open_download import OpenDownload
from devforge.entrypoints.http.openapi_docs import problems
from devforge.entrypoints.http.problems import ProblemDetails, problem
from devforge.entrypoints.http.schemas import PathText

CHUNK_BYTES = 256 * 1024


class StorageDownloadsController(Controller):
    path = "/files"
    tags = ["downloads"]

    @get(
        "/{token:str}",
        summary="Download a file through a signed link",
        description=(
            "The target of the short-lived signed URLs that downloads answer with when files are kept on "
            "local disk. The link itself is the credential: it names one file and expires (minutes). "
            "Answers the bytes as `application/octet-stream` with `Content-Length` and, when the link names "
            "a file name, `Content-Disposition: attachment`. A tampered link is 403 `download_link_invalid`, "
            "an expired one 403 `download_link_expired`, a file since deleted 404."
        ),
        response_headers=[
            ResponseHeader(name="Content-Disposition", description="attachment; filename=...", documentation_only=True),
            ResponseHeader(name="Content-Length", description="Size in bytes", documentation_only=True),
        ],
        responses=problems(403, 404, 429),
        media_type="application/octet-stream",
    )
    async def download(
        self,
        token: PathText,
        open_download: FromDishka[OpenDownload],
    ) -> Stream | Response[bytes] | Response[ProblemDetails]:
        try:
            opened = await open_download(token, CHUNK_BYTES)
        except DownloadLinkInvalid as invalid:
            code = "download_link_expired" if invalid.expired else "download_link_invalid"
            return problem(403, invalid.reason, code=code)
        if opened is None:
            return problem(404, "The file is no longer available.", code="not_found")
        headers = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}
        if opened.filename:
            headers["Content-Disposition"] = attachment_disposition(opened.filename)
        if opened.size <= CHUNK_BYTES:
            # One chunk: answered whole, without a streaming response's task group and its
            # listening for a disconnect (most of what such a download cost the event loop).
            body = b"".join([chunk async for chunk in opened.chunks])
            return Response(body, media_type="application/octet-stream", headers=headers)
        headers["Content-Length"] = str(opened.size)
        return Stream(opened.chunks, media_type="application/octet-stream", headers=headers)
