"""Guards of the project's shape: documented commands, a headless core."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from tracer.cli import COMMANDS, cli

REPO = Path(__file__).resolve().parents[2]


def test_every_command_is_documented() -> None:
    doc = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^## tracer ([a-z][a-z-]*)", doc, flags=re.M))
    missing = sorted(set(COMMANDS) - documented)
    assert not missing, f"commands missing from docs/cli.md: {missing}"


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for name in COMMANDS:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Usage: " in result.output and len(result.output.splitlines()) > 3


def test_core_never_imports_qt() -> None:
    """Import every core module in a fresh interpreter; Qt must not get loaded."""
    core = [
        p.relative_to(REPO).with_suffix("").as_posix().replace("/", ".")
        for p in (REPO / "tracer").rglob("*.py")
        if "ui" not in p.relative_to(REPO / "tracer").parts[:1] and p.name != "__main__.py"
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {core!r}:\n"
        "    importlib.import_module(m.removesuffix('.__init__'))\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]


def test_no_qt_import_statements_outside_ui() -> None:
    pattern = re.compile(r"^\s*(from|import)\s+(PySide6|PyQt\d|shiboken6)", re.M)
    offenders = [
        str(p.relative_to(REPO))
        for p in (REPO / "tracer").rglob("*.py")
        if p.relative_to(REPO / "tracer").parts[0] != "ui" and pattern.search(p.read_text())
    ]
    assert not offenders
