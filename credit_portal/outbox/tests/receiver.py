"""A subscriber's endpoint for tests: a real HTTP server on a free local port that records
what it receives and answers with a chosen status (a redirect points elsewhere, to check it
is not followed), optionally after a delay (to make two relays overlap)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: Message
    body: bytes


class _Recorder(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.server.lock:
            self.server.received.append(Received(self.path, self.headers, body))
        if self.server.delay:
            time.sleep(self.server.delay)
        self.send_response(self.server.answer)
        if 300 <= self.server.answer < 400:
            self.send_header("Location", f"http://127.0.0.1:{self.server.server_port}/moved")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args) -> None:  # quiet
        pass


class Endpoint:
    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
        self.server.received = []
        self.server.lock = threading.Lock()
        self.server.answer = 200
        self.server.delay = 0.0
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hooks/credit"

    @property
    def received(self) -> list[Received]:
        return self.server.received

    def answer(self, status: int, delay: float = 0.0) -> None:
        self.server.answer = status
        self.server.delay = delay

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
