"""RFC 7807 problem responses with the EPCIS exception types the binding names."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from starlette.responses import JSONResponse

EPCIS_HEADERS = {"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}


class HttpProblem(Exception):
    """Raised inside request handling; becomes a problem+json response."""

    def __init__(
        self,
        status: int,
        kind: str,
        title: str,
        detail: str | None = None,
        *,
        errors: Sequence[str] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.errors = list(errors)
        self.headers = dict(headers or {})

    def response(self) -> JSONResponse:
        return problem(
            self.status,
            self.kind,
            self.title,
            self.detail,
            errors=self.errors,
            headers=self.headers,
        )


def problem(
    status: int,
    kind: str,
    title: str,
    detail: str | None = None,
    *,
    errors: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"type": f"epcisException:{kind}", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = list(errors)
    return JSONResponse(
        body,
        status_code=status,
        media_type="application/problem+json",
        headers={**EPCIS_HEADERS, **(headers or {})},
    )


def bad_request(detail: str, errors: Sequence[str] = ()) -> HttpProblem:
    return HttpProblem(400, "ValidationException", "Invalid EPCIS document", detail, errors=errors)


def bad_query(detail: str) -> HttpProblem:
    return HttpProblem(400, "QueryParameterException", "Invalid query parameter", detail)
