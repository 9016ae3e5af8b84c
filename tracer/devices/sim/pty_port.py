"""A pseudo-terminal that can be "unplugged" and "plugged back in" at the same path.

Drivers open `path`, a symlink we own in a temporary directory, exactly as
they open /dev/ttyUSB0. Unplugging closes our side of the pty (the driver's
reads fail as they do when a USB adapter is pulled) and removes the link;
plugging back creates a fresh pty and points the link at it, like a USB
adapter that comes back under its udev symlink.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import tempfile
import threading
import time
import tty
from pathlib import Path


class PtyPort:
    def __init__(self, directory: str | Path | None = None, name: str = "ttyTRACER0") -> None:
        self._own_dir = directory is None
        self.directory = Path(directory or tempfile.mkdtemp(prefix="tracer-sim-"))
        self.path = self.directory / name
        self._master: int | None = None
        self._slave: int | None = None
        self._lock = threading.Lock()
        self.dropped = 0  # bytes nobody could take (no reader attached, buffer full)
        self.plug()

    @property
    def plugged(self) -> bool:
        return self._master is not None

    @property
    def slave_name(self) -> str | None:
        return os.ttyname(self._slave) if self._slave is not None else None

    def plug(self) -> None:
        with self._lock:
            if self._master is not None:
                return
            master, slave = os.openpty()
            tty.setraw(slave)
            os.set_blocking(master, False)
            self._master, self._slave = master, slave
            link = self.directory / f".{self.path.name}.new"
            with contextlib.suppress(FileNotFoundError):
                link.unlink()
            os.symlink(os.ttyname(slave), link)
            os.replace(link, self.path)

    def unplug(self) -> None:
        with self._lock:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            for fd in (self._master, self._slave):
                if fd is not None:
                    with contextlib.suppress(OSError):
                        os.close(fd)
            self._master = self._slave = None

    def close(self) -> None:
        self.unplug()
        if self._own_dir:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> PtyPort:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, data: bytes, timeout: float = 1.0) -> int:
        """Send bytes as the device would; what cannot be sent in time is dropped and counted."""
        sent = 0
        deadline = time.monotonic() + timeout
        while sent < len(data):
            master = self._master
            if master is None:
                break
            try:
                sent += os.write(master, data[sent:])
                continue
            except BlockingIOError:
                pass
            except OSError:
                break
            left = deadline - time.monotonic()
            if left <= 0:
                break
            with contextlib.suppress(OSError, ValueError):
                select.select([], [master], [], min(left, 0.05))
        self.dropped += len(data) - sent
        return sent

    def read(self, timeout: float) -> bytes:
        """What the driver wrote to the device (commands), or b'' after `timeout`."""
        master = self._master
        if master is None:
            time.sleep(timeout)
            return b""
        try:
            ready, _, _ = select.select([master], [], [], timeout)
            return os.read(master, 4096) if ready else b""
        except (OSError, ValueError):
            return b""
