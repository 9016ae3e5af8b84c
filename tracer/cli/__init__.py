"""The `tracer` command: a thin click layer over the core API.

Each command group lives in its own module and is imported only when it is
run, so `tracer --help` and the scan path start fast.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from tracer import __version__
from tracer.errors import TracerError

# command name -> "module:attribute". Add a line here when adding a command.
COMMANDS: dict[str, str] = {
    "demo": "tracer.cli.ledger_commands:demo",
    "stats": "tracer.cli.ledger_commands:stats",
    "verify": "tracer.cli.ledger_commands:verify",
    "events": "tracer.cli.ledger_commands:events",
    "parse": "tracer.cli.codes:parse",
    "epc": "tracer.cli.codes:epc",
    "decode": "tracer.cli.codes:decode",
    "label": "tracer.cli.codes:label",
    "trace": "tracer.cli.trace:trace",
    "recall": "tracer.cli.recall:recall",
    "devices": "tracer.cli.devices:devices",
    "listen": "tracer.cli.devices:listen",
    "simulate": "tracer.cli.devices:simulate",
    "db": "tracer.cli.db:db",
    "serve": "tracer.cli.server:serve",
    "sync": "tracer.cli.db:sync",
    "gui": "tracer.cli.gui:gui",
    "hash": "tracer.cli.epcis:hash_",
    "import": "tracer.cli.epcis:import_",
    "export": "tracer.cli.epcis:export",
    "merge": "tracer.cli.epcis:merge",
    "push": "tracer.cli.epcis:push",
    "pull": "tracer.cli.epcis:pull",
    "signal": "tracer.cli.quality:signal",
    "alerts": "tracer.cli.quality_reports:alerts",
    "record": "tracer.cli.quality_reports:record_",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command = getattr(importlib.import_module(module_name), attr)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tracer")
def cli() -> None:
    """tracer: item-code scans into an append-only EPCIS ledger, trace and recall."""


def main(argv: list[str] | None = None) -> Any:
    """Entry point: user-facing errors become one clear line and a non-zero exit."""
    try:
        return cli.main(args=argv, prog_name="tracer", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except TracerError as exc:
        click.secho(f"Error: {exc}", err=True, fg="red")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
