"""A UDP receiver that keeps every datagram with the kernel's arrival time (CLOCK_REALTIME, so it
compares with a schedule's instants), read in a thread."""

import socket
import struct
import threading
import time

from lightshow.protocol.artnet import parse_packet
from lightshow.protocol.artnet_dmx import ArtDmx
from lightshow.protocol.artnet_timecode import ArtTimeCode

SO_TIMESTAMPNS = 35


class StampingReceiver:
    def __init__(self, ip: str = "127.0.0.1", buffer_bytes: int = 4 * 1024 * 1024):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, buffer_bytes)
        self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        self.sock.bind((ip, 0))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.packets: list[tuple[float, bytes]] = []
        self._halt = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._halt.is_set():
            try:
                data, ancillary, _, _ = self.sock.recvmsg(2048, 64)
            except socket.timeout:
                continue
            seconds, nanoseconds = struct.unpack("qq", ancillary[0][2][:16])
            self.packets.append((seconds + nanoseconds * 1e-9, data))

    def parsed(self, since: int = 0) -> list[tuple[float, object]]:
        """(arrival, ArtDmx or ArtTimeCode) of the packets from index ``since`` on."""
        out = []
        for at, data in self.packets[since:]:
            packet = parse_packet(data)
            if isinstance(packet, (ArtDmx, ArtTimeCode)):
                out.append((at, packet))
        return out

    def wait_for(self, condition, since: int = 0, timeout_s: float = 10.0):
        """The first (arrival, packet) from ``since`` on for which ``condition(packet)`` holds."""
        deadline = time.monotonic() + timeout_s
        seen = since
        while time.monotonic() < deadline:
            for at, packet in self.parsed(seen):
                if condition(packet):
                    return at, packet
            seen = len(self.packets)
            time.sleep(0.02)
        raise AssertionError("the wire never showed it")

    def close(self) -> None:
        self._halt.set()
        self._thread.join()
        self.sock.close()
