"""Run the `tracer` command in-process, as a user would, for the CLI tests of every package.

Importable from any test module: pytest puts this folder on sys.path for
the top-level conftest.py.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tracer.cli import cli, main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of `tracer ARGS...`."""
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def run_ok(*args: str) -> str:
    """Output of `tracer ARGS...`, which must succeed; exceptions propagate with their traceback."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output
