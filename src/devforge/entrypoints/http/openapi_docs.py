"""Error responses every route documents (RFC 9457 problem+json), by status."""

from __future__ import annotations

from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example

from devforge.entrypoints.http.problems import FieldError, ProblemDetails

NO_GENERATED_EXAMPLES = """Every ``ResponseSpec`` here sets ``generate_examples=False``: Litestar would
otherwise fill each field of the response's schema with a random example from polyfactory and
Faker (``"status": 677``), importing both at the first /schema request, about 10 MiB an API
process keeps (bench/README.md, "Memory after the sweep"). The responses carry real examples."""

_EXAMPLES = {
    400: ProblemDetails(
        type="https://docs.devforge.dev/problems/invalid_request",
        title="Bad Request",
        status=400,
        detail="Validation failed for POST /api/auth/register",
        code="invalid_request",
        errors=[FieldError("email", "Expected `str`, got `int`")],
    ),
    401: ProblemDetails(
        type="https://docs.devforge.dev/problems/credentials_invalid",
        title="Unauthorized",
        status=401,
        detail="The email or password is incorrect.",
        code="credentials_invalid",
    ),
    403: ProblemDetails(
        type="https://docs.devforge.dev/problems/account_disabled",
        title="Forbidden",
        status=403,
        detail="This account is disabled.",
        code="account_disabled",
    ),
    404: ProblemDetails(
        type="https://docs.devforge.dev/problems/not_found",
        title="Not Found",
        status=404,
        detail="No api key with this id.",
        code="not_found",
    ),
    409: ProblemDetails(
        type="https://docs.devforge.dev/problems/email_already_registered",
        title="Conflict",
        status=409,
        detail="An account with this email already exists.",
        code="email_already_registered",
        errors=[FieldError("email", "An account with this email already exists.")],
    ),
    422: ProblemDetails(
        type="https://docs.devforge.dev/problems/password_rejected",
        title="Unprocessable Entity",
        status=422,
        detail="Use at least 8 characters.",
        code="password_rejected",
        errors=[FieldError("password", "Use at least 8 characters.")],
    ),
    429: ProblemDetails(
        type="https://docs.devforge.dev/problems/too_many_requests",
        title="Too Many Requests",
        status=429,
        detail="Too many requests; retry in 12 s.",
        code="too_many_requests",
    ),
}

_DESCRIPTIONS = {
    400: "Malformed JSON or a field of the wrong type; `errors` lists the field paths",
    401: "Missing, invalid or expired credentials or session",
    403: "Authenticated, but not allowed",
    404: "No such resource, or it belongs to someone else (the answer does not say which)",
    409: "Conflicts with existing state",
    422: "Well-formed, but breaks a business rule; `errors` names the field",
    429: "Rate limit exceeded; see the Retry-After header",
}


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    return {
        status: ResponseSpec(
            data_container=ProblemDetails,
            description=_DESCRIPTIONS[status],
            media_type="application/problem+json",
            examples=[Example(summary=_EXAMPLES[status].code, value=_EXAMPLES[status])],
            generate_examples=False,  # see NO_GENERATED_EXAMPLES
        )
        for status in statuses
    }
