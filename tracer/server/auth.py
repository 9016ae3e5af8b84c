"""Every request carries `Authorization: Bearer <token>`; writes need a capture token.

No token, or an unknown or revoked one: 401. A read token on POST: 403.
Checked before the body is read, so an unauthenticated client cannot make
the server read a large upload.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from tracer.server.problems import problem
from tracer.server.tokens import TokenInfo, check_token

_WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class BearerAuth:
    def __init__(self, app: ASGIApp, pool: Any) -> None:
        self.app = app
        self.pool = pool

    def _check(self, token: str) -> TokenInfo | None:
        with self.pool.ledger() as ledger:
            return check_token(ledger, token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = Headers(scope=scope).get("authorization", "")
        scheme, _, token = header.partition(" ")
        challenge = {"WWW-Authenticate": 'Bearer realm="tracer"'}
        if scheme.lower() != "bearer" or not token.strip():
            response = problem(
                401,
                "SecurityException",
                "Unauthorised request",
                "send Authorization: Bearer <token> (tokens: tracer serve token add)",
                headers=challenge,
            )
            await response(scope, receive, send)
            return
        info = await run_in_threadpool(self._check, token.strip())
        if info is None:
            response = problem(
                401,
                "SecurityException",
                "Unauthorised request",
                "the token is unknown or was revoked",
                headers={"WWW-Authenticate": 'Bearer realm="tracer", error="invalid_token"'},
            )
            await response(scope, receive, send)
            return
        if scope["method"] in _WRITES and info.scope != "capture":
            response = problem(
                403,
                "SecurityException",
                "Forbidden",
                f"this token's scope is {info.scope}; capturing needs a capture token",
            )
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["token"] = info
        await self.app(scope, receive, send)
