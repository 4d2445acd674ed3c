"""A tiny OpenAI-compatible server on loopback, for tests: ``/v1/chat/completions``, streamed or not.

Replies come from ``replies`` in order (the last one repeats); every request body is kept in
``requests`` so a test can check what was sent. A reply is one of:

- a string: the answer (streamed word by word when the request asks for a stream, ``word_delay_s``
  apart);
- a callable taking the request body and returning any reply below (e.g. to answer each session
  with something only it asked for);
- :class:`Fault`: an HTTP error status (with ``Retry-After`` if given);
- :class:`Hang`: say nothing for a while (the client's timeout fires first);
- :class:`Cut`: stream the first words of an answer, then drop the connection mid-answer;
- :class:`Malformed`: a 200 whose body is not JSON.

Connection refused needs no server: :func:`refused_url` names a loopback port nobody listens on.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Fault:
    status: int = 500
    retry_after: str | None = None  # seconds, as the header carries them
    message: str = ""  # the error body's message (servers echo things back, keys included)


@dataclass(frozen=True)
class Hang:
    seconds: float = 5.0


@dataclass(frozen=True)
class Cut:
    answer: str
    words: int = 3  # words sent before the connection drops


@dataclass(frozen=True)
class Malformed:
    body: bytes = b'{"id": "chatcmpl-fake", "choices": [{"index": 0, "message": '


Reply = str | Fault | Hang | Cut | Malformed | Callable[[dict[str, Any]], Any]


def refused_url() -> str:
    """A base URL on loopback where nothing listens (the port was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up (a kept-alive connection closed, a killed app) is no error here."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FakeOpenAI:
    def __init__(self, replies: list[Reply], word_delay_s: float = 0.0) -> None:
        self.replies = list(replies) or ["Hello."]
        self.word_delay_s = word_delay_s
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _send(self, status: int, data: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _chunk(self, base: dict[str, Any], delta: dict[str, Any], finish: str | None) -> None:
                chunk = {**base, "object": "chat.completion.chunk"}
                chunk["choices"] = [{"index": 0, "delta": delta, "finish_reason": finish}]
                self._write(f"data: {json.dumps(chunk)}\n\n".encode())

            def _write(self, data: bytes) -> None:  # one HTTP/1.1 chunk
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
                with server._lock:
                    server.requests.append(body)
                    reply = server.replies.pop(0) if len(server.replies) > 1 else server.replies[0]
                if callable(reply):
                    reply = reply(body)
                if not self.path.endswith("/chat/completions"):
                    self._send(404, b'{"error": {"message": "not found"}}')
                    return
                if isinstance(reply, Fault):
                    message = reply.message or f"fake fault {reply.status}"
                    data = json.dumps({"error": {"message": message, "type": "fault"}}).encode()
                    retry = {"Retry-After": reply.retry_after} if reply.retry_after is not None else {}
                    self._send(reply.status, data, retry)
                    return
                if isinstance(reply, Hang):
                    time.sleep(reply.seconds)
                    self.close_connection = True
                    return
                if isinstance(reply, Malformed):
                    self._send(200, reply.body)
                    return
                base = {"id": "chatcmpl-fake", "created": int(time.time()), "model": body.get("model", "fake")}
                text = reply.answer if isinstance(reply, Cut) else reply
                if body.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    words = text.split(" ")
                    for i, word in enumerate(words):
                        if isinstance(reply, Cut) and i == reply.words:
                            self.close_connection = True  # mid-answer: no finish, no [DONE], no last chunk
                            self.connection.shutdown(socket.SHUT_RDWR)
                            return
                        self._chunk(base, {"role": "assistant", "content": word if i == 0 else " " + word}, None)
                        if server.word_delay_s:
                            time.sleep(server.word_delay_s)
                    self._chunk(base, {}, "stop")
                    self._write(b"data: [DONE]\n\n")
                    self.wfile.write(b"0\r\n\r\n")
                    return
                if isinstance(reply, Cut):  # not streamed: the body stops half-way
                    data = json.dumps({**base, "choices": [{"message": {"content": text}}]}).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data[: len(data) // 2])
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                payload = {
                    **base,
                    "object": "chat.completion",
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }
                self._send(200, json.dumps(payload).encode())

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
