"""A serial port that survives being unplugged: open, read, classify faults, reopen.

Every serial driver (scanner, RDM6300, UHF) is a `SerialDevice`: it owns a
thread that opens the port by path (a pty from `tracer simulate` is opened
the same way as /dev/ttyUSB0), reads, and on any error closes the port,
says why in its status, waits with back-off and opens the same path again.
Port problems become statuses with a fix the operator can act on
(the `dialout` group, the udev rule, the program holding the port).
"""

from __future__ import annotations

import contextlib
import errno
import time
from collections.abc import Callable
from dataclasses import dataclass

import serial

from tracer.devices.base import UDEV_RULES, DeviceError, DeviceState, Scan
from tracer.devices.framing import Frame, FrameFault, Framer
from tracer.devices.runtime import Backoff, DeviceThread

PARITIES = {"N": serial.PARITY_NONE, "E": serial.PARITY_EVEN, "O": serial.PARITY_ODD}

Opener = Callable[[], serial.SerialBase]


@dataclass(frozen=True, slots=True)
class SerialSettings:
    port: str
    baudrate: int = 9600
    parity: str = "N"
    bytesize: int = 8
    stopbits: float = 1
    poll: float = 0.05  # read timeout: how often the thread looks at its stop flag
    frame_timeout: float = 0.2  # silence after which a started frame is abandoned as half

    def __post_init__(self) -> None:
        if self.parity not in PARITIES:
            raise DeviceError(f"parity {self.parity!r}: use N, E or O")
        if self.baudrate <= 0:
            raise DeviceError(f"baud rate {self.baudrate} is not a rate")

    def open(self) -> serial.SerialBase:
        return serial.serial_for_url(
            self.port,
            baudrate=self.baudrate,
            parity=PARITIES[self.parity],
            bytesize=self.bytesize,
            stopbits=self.stopbits,
            timeout=self.poll,
            write_timeout=1.0,
        )


def open_problem(port: str, exc: BaseException) -> tuple[DeviceState, str, str]:
    """Why a port did not open, in the operator's terms, and what fixes it."""
    code = getattr(exc, "errno", None)
    if code in (errno.EACCES, errno.EPERM):
        return (
            DeviceState.UNUSABLE,
            f"permission denied on {port}",
            "add your user to the 'dialout' group (sudo usermod -aG dialout $USER, then log "
            f"out and in) or install the udev rule {UDEV_RULES}; tracer retries by itself",
        )
    if code in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
        return (
            DeviceState.RECONNECTING,
            f"{port} is not there (unplugged?)",
            "plug the reader in; tracer reconnects by itself",
        )
    if code == errno.EBUSY:
        return (
            DeviceState.UNUSABLE,
            f"{port} is in use by another program",
            "close the other program (another tracer, a serial terminal, ModemManager)",
        )
    return DeviceState.RECONNECTING, f"cannot open {port}: {_plain(exc)}", ""


def _plain(exc: BaseException) -> str:
    return str(exc).split("] ", 1)[-1] if str(exc).startswith("[Errno") else str(exc)


class SerialDevice(DeviceThread):
    """Open-read-reconnect loop; subclasses turn frames into scans (or run a dialogue)."""

    def __init__(
        self,
        uri: str,
        settings: SerialSettings,
        *,
        backoff: Backoff | None = None,
        opener: Opener | None = None,
    ) -> None:
        super().__init__(uri, backoff=backoff)
        self.settings = settings
        self._opener = opener or settings.open
        self._port: serial.SerialBase | None = None

    # -- for subclasses ------------------------------------------------------

    def _new_framer(self) -> Framer:
        raise NotImplementedError

    def _scan(self, frame: Frame) -> Scan:
        raise NotImplementedError

    def _session(self, port: serial.SerialBase) -> None:
        """Read frames until the port fails or the driver stops (default: a listening device)."""
        framer = self._new_framer()
        while not self.stopping:
            data = port.read(max(1, port.in_waiting))
            events = framer.feed(data, time.monotonic()) if data else framer.idle(time.monotonic())
            self._handle(events)

    def _handle(self, events: list[Frame | FrameFault]) -> None:
        for event in events:
            if isinstance(event, FrameFault):
                self._fault(event.message, event.fix)
            else:
                self._emit(self._scan(event))

    def _probe(self) -> tuple[DeviceState, str, str]:
        try:
            port = self._opener()
        except (serial.SerialException, OSError, ValueError) as exc:
            return open_problem(self.settings.port, exc)
        with contextlib.suppress(serial.SerialException, OSError):
            port.close()
        return DeviceState.CONNECTED, f"{self.settings.port} can be opened", ""

    # -- the loop ------------------------------------------------------------

    def _run(self) -> None:
        lost = False
        while not self.stopping:
            port = self._connect(reconnecting=lost)
            if port is None:
                return
            try:
                self._session(port)
            except (serial.SerialException, OSError) as exc:
                if self.stopping:
                    return
                lost = True
                self._set_state(
                    DeviceState.RECONNECTING,
                    f"lost {self.settings.port}: {_plain(exc)} (unplugged?)",
                    "plug the reader back in; tracer reconnects by itself",
                )
            finally:
                self._close()
            if self._wait(self.backoff.next()):
                return

    def _connect(self, *, reconnecting: bool) -> serial.SerialBase | None:
        while not self.stopping:
            try:
                port = self._opener()
            except (serial.SerialException, OSError, ValueError) as exc:
                state, message, fix = open_problem(self.settings.port, exc)
                if state is not self._status.state or message != self._status.message:
                    self._set_state(state, message, fix)
                if self._wait(self.backoff.next()):
                    return None
                continue
            self._port = port
            if self.stopping:
                self._close()
                return None
            self.backoff.reset()
            self._set_state(
                DeviceState.CONNECTED,
                f"reconnected to {self.settings.port}"
                if reconnecting
                else f"reading {self.settings.port}",
                reconnected=reconnecting,
            )
            return port
        return None

    def _close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            with contextlib.suppress(serial.SerialException, OSError):
                port.close()
