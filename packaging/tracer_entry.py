"""Entry of the frozen executables: the same `tracer` command as the pip-installed one.

On Windows and macOS the build has two launchers over one folder: `tracer`
(console: the CLI, and `tracer gui`) and `tracer-gui` (windowed, so the Start menu
and the .app open no console window), which runs `tracer gui` with its arguments.
Linux has `tracer` only (its .desktop file runs `tracer gui`).
"""

import multiprocessing
import sys
from pathlib import Path


def launcher_args(argv: list[str]) -> list[str]:
    """Arguments for the CLI: `tracer-gui [ARGS]` means `tracer gui [ARGS]`."""
    if Path(argv[0]).stem.lower().endswith("-gui"):
        # old macOS Finder passes a -psn_0_NNN process serial number: not ours
        return ["gui", *(a for a in argv[1:] if not a.startswith("-psn_"))]
    return argv[1:]


if __name__ == "__main__":
    multiprocessing.freeze_support()  # demo builds use worker processes (spawn on Windows/macOS)
    from tracer.cli import main

    main(launcher_args(sys.argv))
