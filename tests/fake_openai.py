"""A tiny OpenAI-compatible server on loopback, for tests: ``/v1/chat/completions``, streamed or not.

Replies come from ``replies`` in order (the last one repeats); every request body is kept in
``requests`` so a test can check what was sent. A reply may be a :class:`Fault`: an HTTP error
status (with ``Retry-After`` if given) instead of an answer.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Fault:
    status: int = 500
    retry_after: str | None = None  # seconds, as the header carries them


class FakeOpenAI:
    def __init__(self, replies: list[str | Fault]) -> None:
        self.replies = list(replies) or ["Hello."]
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
                with server._lock:
                    server.requests.append(body)
                    reply = server.replies.pop(0) if len(server.replies) > 1 else server.replies[0]
                if not self.path.endswith("/chat/completions"):
                    self.send_error(404)
                    return
                if isinstance(reply, Fault):
                    data = json.dumps({"error": {"message": f"fake fault {reply.status}", "type": "fault"}}).encode()
                    self.send_response(reply.status)
                    if reply.retry_after is not None:
                        self.send_header("Retry-After", reply.retry_after)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                base = {"id": "chatcmpl-fake", "created": int(time.time()), "model": body.get("model", "fake")}
                if body.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    words = reply.split(" ")
                    for i, word in enumerate(words):
                        piece = word if i == 0 else " " + word
                        chunk = {**base, "object": "chat.completion.chunk"}
                        chunk["choices"] = [
                            {"index": 0, "delta": {"role": "assistant", "content": piece}, "finish_reason": None}
                        ]
                        self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    done = {**base, "object": "chat.completion.chunk"}
                    done["choices"] = [{"index": 0, "delta": {}, "finish_reason": "stop"}]
                    self.wfile.write(f"data: {json.dumps(done)}\n\ndata: [DONE]\n\n".encode())
                    return
                payload = {
                    **base,
                    "object": "chat.completion",
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
