"""Slow clients: a connection whose request does not arrive in time is closed (slow loris).

uvicorn times out an idle keep-alive connection, but not one that dribbles its request
line and headers a byte at a time: enough of those hold every connection the server
allows.  :class:`HeaderDeadlineProtocol` gives each request ``HEADER_DEADLINE_S`` from
the connection's start (or from the previous response) to finish its headers.
:func:`guarded_server` is uvicorn as ``serve`` and ``simulate --web`` run it: with it, a short
accept backlog and a cap on connections.
"""

from __future__ import annotations

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_DEADLINE_S = 10.0
HTTP_BACKLOG = 16          # connections waiting to be accepted: beyond, the kernel makes clients retry
HTTP_CONNECTIONS = 256     # connections and tasks at once: beyond, 503 at once


class HeaderDeadlineProtocol(H11Protocol):
    header_deadline_s = HEADER_DEADLINE_S

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._deadline = self.loop.call_later(self.header_deadline_s, self._too_slow)

    def handle_events(self) -> None:
        super().handle_events()
        if self._deadline is not None and self.conn.their_state is not h11.IDLE:
            self._deadline.cancel()            # the headers are in: the request takes its course
            self._deadline = None

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self._deadline is None and not self.transport.is_closing():
            self._deadline = self.loop.call_later(self.header_deadline_s, self._too_slow)

    def connection_lost(self, exc) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        super().connection_lost(exc)

    def _too_slow(self) -> None:
        self._deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def guarded_server(app, host: str, port: int) -> uvicorn.Server:
    return uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", backlog=HTTP_BACKLOG,
                                         limit_concurrency=HTTP_CONNECTIONS, http=HeaderDeadlineProtocol))
