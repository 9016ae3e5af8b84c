"""`tracer serve` (the EPCIS 2.0 REST endpoint) and `tracer serve token add|revoke|list`."""

from __future__ import annotations

import click

from tracer.cli.options import echo_json, json_option, ledger_option


@click.group(invoke_without_command=True)
@ledger_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Keep 127.0.0.1 behind a TLS reverse proxy (docs/server.md).",
)
@click.option("--port", default=8080, show_default=True, type=int, help="TCP port.")
@click.option(
    "--max-body-mb",
    default=16,
    show_default=True,
    type=int,
    help="Largest capture document accepted (larger: 413).",
)
@click.option(
    "--max-events",
    default=10_000,
    show_default=True,
    type=int,
    help="Most events in one capture document (more: 413).",
)
@click.option(
    "--connections",
    type=int,
    default=None,
    help="Open ledger connections (default 1 for SQLite, 4 for PostgreSQL).",
)
@click.pass_context
def serve(
    ctx: click.Context,
    ledger_path: str,
    host: str,
    port: int,
    max_body_mb: int,
    max_events: int,
    connections: int | None,
) -> None:
    """Serve the ledger over the EPCIS 2.0 REST binding (capture, events, eventTypes, trace).

    Every request needs a bearer token: make one with `tracer serve token add`.
    TLS is left to a reverse proxy; see docs/server.md.
    """
    if ctx.invoked_subcommand is not None:
        return
    import uvicorn

    from tracer.server import ServerSettings, create_app

    settings = ServerSettings(
        max_body_bytes=max_body_mb * 1024 * 1024, max_events=max_events, pool_size=connections
    )
    app = create_app(ledger_path, settings)
    where = app.state.pool.path
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.secho(
            f"Listening on {host}: this is plain HTTP. Put a TLS reverse proxy in front "
            "(docs/server.md) unless the network is trusted.",
            err=True,
            fg="yellow",
        )
    click.echo(f"tracer serve: ledger {where} on http://{host}:{port}/ (Ctrl+C stops)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


@serve.group("token")
def token() -> None:
    """Make, revoke and list the bearer tokens clients of `tracer serve` use."""


@token.command("add")
@ledger_option
@click.option(
    "--scope",
    type=click.Choice(["read", "capture"]),
    required=True,
    help="read: queries only; capture: queries and capture.",
)
@click.option("--label", help="Who or what the token is for (shown by `token list`).")
@json_option
def token_add(ledger_path: str, scope: str, label: str | None, as_json: bool) -> None:
    """Make a token and print it once (the ledger keeps only its hash)."""
    from tracer.ledger.backend import open_ledger
    from tracer.server.tokens import add_token

    with open_ledger(ledger_path) as ledger:
        text, info = add_token(ledger, scope, label)
    if as_json:
        echo_json({"token": text, "id": info.token_id, "scope": scope, "label": label})
        return
    click.echo(text)
    click.echo(
        f"Token {info.token_id} ({scope}) made. It is shown only now: give it to the client "
        "as 'Authorization: Bearer <token>'.",
        err=True,
    )


@token.command("revoke")
@ledger_option
@click.argument("token_id")
def token_revoke(ledger_path: str, token_id: str) -> None:
    """Revoke a token by its id (or by the token itself); it stops working at once."""
    from tracer.errors import TracerError
    from tracer.ledger.backend import open_ledger
    from tracer.server.tokens import revoke_token

    with open_ledger(ledger_path) as ledger:
        if not revoke_token(ledger, token_id):
            raise TracerError(f"no live token with id {token_id} (see `tracer serve token list`)")
    click.echo(f"Token {token_id} revoked.")


@token.command("list")
@ledger_option
@json_option
def token_list(ledger_path: str, as_json: bool) -> None:
    """List tokens: id, scope, label, when made, when revoked (never the secrets)."""
    from tracer.ledger.backend import open_ledger
    from tracer.server.tokens import list_tokens

    with open_ledger(ledger_path) as ledger:
        tokens = list_tokens(ledger)
    if as_json:
        import dataclasses

        echo_json([dataclasses.asdict(t) for t in tokens])
        return
    for t in tokens:
        state = f"revoked {t.revoked}" if t.revoked else "live"
        click.echo(f"{t.token_id}  {t.scope:<8} {state:<30} {t.created}  {t.label or ''}")
