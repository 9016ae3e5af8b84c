"""Network UHF readers (Impinj, Zebra, ThingMagic …) over LLRP, through sllurp.

`llrp://192.168.1.50[:5084]?antennas=1,2&power=25&report=0.2`

sllurp runs the LLRP dialogue on its own socket thread and calls us with
each RO_ACCESS_REPORT; we turn its TagReportData into `Scan`s (EPC, antenna,
peak RSSI in dBm, tag seen count, the reader's last-seen time). A reader
that cannot be reached or drops the connection is reported and dialled
again with back-off; sllurp's own reconnection is off so that the status
stays ours.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from tracer.devices.base import DeviceError, DeviceState, EpcDecoder, Reader, Scan, now
from tracer.devices.registry import DeviceUri, backoff
from tracer.devices.runtime import Backoff, DeviceThread

DEFAULT_PORT = 5084


def _first(value: Any) -> Any:
    """sllurp versions give TV parameters as a value or a 1-tuple."""
    if isinstance(value, list | tuple):
        return value[0] if value else None
    return value


def tag_scan(tag: Mapping[str, Any], device: str, decoder: EpcDecoder) -> Scan | None:
    """One TagReportData entry as a scan (None when it carries no EPC)."""
    epc = tag.get("EPC") or tag.get("EPC-96")
    if not epc:
        return None
    raw = bytes.fromhex(epc.decode() if isinstance(epc, bytes | bytearray) else str(epc))
    seen = _first(tag.get("LastSeenTimestampUTC")) or _first(tag.get("FirstSeenTimestampUTC"))
    time = datetime.fromtimestamp(seen / 1e6, UTC).astimezone() if seen else now()
    antenna, rssi = _first(tag.get("AntennaID")), _first(tag.get("PeakRSSI"))
    count = _first(tag.get("TagSeenCount")) or 1
    return decoder.scan(
        raw,
        device,
        time,
        antenna=int(antenna) if antenna is not None else None,
        rssi=float(rssi) if rssi is not None else None,
        read_count=int(count),
    )


class LlrpReader(DeviceThread):
    def __init__(
        self,
        uri: str,
        host: str,
        port: int = DEFAULT_PORT,
        *,
        antennas: tuple[int, ...] = (1,),
        power_dbm: float | None = None,
        report_every: float = 0.2,
        timeout: float = 3.0,
        backoff: Backoff | None = None,
    ) -> None:
        super().__init__(uri, backoff=backoff)
        self.host = host
        self.port = port
        self.antennas = antennas
        self.power_dbm = power_dbm
        self.report_every = report_every
        self.timeout = timeout
        self._decoder = EpcDecoder()
        self._lost = threading.Event()
        self._client: Any = None

    def config(self) -> dict[str, Any]:
        """sllurp reader configuration: report antenna, RSSI, count and time with every tag."""
        config: dict[str, Any] = {
            "antennas": list(self.antennas),
            "report_timeout_ms": int(self.report_every * 1000),
            "reconnect": False,
            "start_inventory": True,
            "tag_content_selector": {
                "EnableROSpecID": False,
                "EnableSpecIndex": False,
                "EnableInventoryParameterSpecID": False,
                "EnableAntennaID": True,
                "EnableChannelIndex": False,
                "EnablePeakRSSI": True,
                "EnableFirstSeenTimestamp": False,
                "EnableLastSeenTimestamp": True,
                "EnableTagSeenCount": True,
                "EnableAccessSpecID": False,
            },
        }
        if self.power_dbm is not None:
            config["tx_power_dbm"] = float(self.power_dbm)
        return config

    def _probe(self) -> tuple[DeviceState, str, str]:
        import socket

        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout):
                pass
        except OSError as exc:
            return (
                DeviceState.RECONNECTING,
                f"cannot reach the LLRP reader at {self.host}:{self.port}: {exc.strerror or exc}",
                "check the network cable and the reader's IP address; LLRP uses TCP port 5084",
            )
        return DeviceState.CONNECTED, f"an LLRP reader answers at {self.host}:{self.port}", ""

    def on_tags(self, _client: Any, tags: list[Mapping[str, Any]]) -> None:
        for tag in tags:
            scan = tag_scan(tag, self.uri, self._decoder)
            if scan is not None:
                self._emit(scan)

    def _run(self) -> None:
        from sllurp.llrp import LLRPReaderClient, LLRPReaderConfig

        self._decoder.load()  # before the first tag report, not during it
        where = f"{self.host}:{self.port}"
        lost_before = False
        while not self.stopping:
            self._lost.clear()
            client = LLRPReaderClient(
                self.host, self.port, LLRPReaderConfig(self.config()), timeout=self.timeout
            )
            client.add_tag_report_callback(self.on_tags)
            client.add_disconnected_callback(lambda _c: self._lost.set())
            try:
                client.connect()
            except OSError as exc:
                self._set_state(
                    DeviceState.RECONNECTING,
                    f"cannot reach the LLRP reader at {where}: {exc.strerror or exc}",
                    "check the network cable and the reader's IP address; LLRP uses TCP port 5084",
                )
                if self._wait(self.backoff.next()):
                    return
                continue
            self._client = client
            self.backoff.reset()
            self._set_state(
                DeviceState.CONNECTED,
                f"{'reconnected to' if lost_before else 'inventory running on'} {where}",
                reconnected=lost_before,
            )
            while not self.stopping and not self._lost.wait(0.1):
                pass
            self._client = None
            if self.stopping:
                self._disconnect(client)
                return
            lost_before = True
            self._set_state(
                DeviceState.RECONNECTING,
                f"lost the connection to {where}",
                "check the network; tracer reconnects by itself",
            )
            self._disconnect(client)
            if self._wait(self.backoff.next()):
                return

    @staticmethod
    def _disconnect(client: Any) -> None:
        with contextlib.suppress(Exception):  # the socket may already be gone
            client.disconnect(timeout=1.0)
        with contextlib.suppress(Exception):
            client.hard_disconnect()


def from_uri(uri: DeviceUri) -> Reader:
    if not uri.host:
        raise DeviceError(f"{uri.uri}: no reader address; e.g. llrp://192.168.1.50")
    antennas_text = uri.take("antennas", "1") or "1"
    try:
        antennas = tuple(int(a) for a in antennas_text.split(","))
    except ValueError:
        raise DeviceError(f"{uri.uri}: antennas={antennas_text!r}: give numbers like 1,2") from None
    power = uri.take("power")
    return LlrpReader(
        uri.uri,
        uri.host,
        uri.port or DEFAULT_PORT,
        antennas=antennas,
        power_dbm=None if power is None else uri.number("power", 0.0, low=0, high=36),
        report_every=uri.number("report", 0.2, low=0.01),
        backoff=backoff(uri),
    )
