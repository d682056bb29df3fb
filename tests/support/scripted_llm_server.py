"""A scripted LLM server on loopback for tests: OpenAI `/v1/chat/completions` and Ollama `/api/chat`.

Each chat request takes the next step from a queue. A step is a `Reply` (final text), a `Call`
(one or more tool calls), an `HttpError`, or a callable that receives the request body and returns
one of those (so a scripted "model" can read the tool results it was sent). Every request body is
recorded in `server.requests` so tests can assert what the client sent. `delay` makes the server
slow (for timeout tests). Only the standard library is used; real clients talk to it over HTTP.
"""
from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Union


@dataclass(frozen=True)
class Reply:
    text: str


@dataclass(frozen=True)
class ToolCallSpec:
    name: str
    arguments: Union[dict, str]   # a str is sent verbatim (lets tests send malformed JSON)


@dataclass(frozen=True)
class Call:
    calls: tuple[ToolCallSpec, ...]
    text: str = ""

    @classmethod
    def one(cls, name: str, arguments: Union[dict, str], text: str = "") -> "Call":
        return cls((ToolCallSpec(name, arguments),), text)


@dataclass(frozen=True)
class HttpError:
    status: int
    message: str


Step = Union[Reply, Call, HttpError, Callable[[dict], Union[Reply, Call, HttpError]]]


@dataclass
class RecordedRequest:
    path: str
    body: dict
    headers: dict = field(default_factory=dict)

    @property
    def messages(self) -> list[dict]:
        return self.body.get("messages", [])

    def tool_messages(self) -> list[dict]:
        return [m for m in self.messages if m.get("role") == "tool"]


class ScriptedLLMServer:
    """Use as a context manager: `with ScriptedLLMServer([Call.one(...), Reply(...)]) as server:`."""

    def __init__(self, script: list[Step] | None = None, delay: float = 0.0,
                 model: str = "scripted-model", when_empty: Step | None = None):
        self.script: deque[Step] = deque(script or [])
        self.delay = delay
        self.model = model
        self.when_empty = when_empty or HttpError(500, "scripted server: script exhausted")
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._calls = 0
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------
    def start(self) -> "ScriptedLLMServer":
        server = self

        class Handler(_Handler):
            owner = server

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="scripted-llm", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> "ScriptedLLMServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        """OpenAI-style base URL (ends in /v1)."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def ollama_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def push(self, *steps: Step) -> None:
        with self._lock:
            self.script.extend(steps)

    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith(("/chat/completions", "/api/chat"))]

    # -- scripting -----------------------------------------------------------
    def _next_step(self, body: dict) -> Reply | Call | HttpError:
        with self._lock:
            step = self.script.popleft() if self.script else self.when_empty
        if callable(step) and not isinstance(step, (Reply, Call, HttpError)):
            step = step(body)
        return step

    def _next_call_id(self) -> str:
        with self._lock:
            self._calls += 1
            return f"call_{self._calls}"


class _Handler(BaseHTTPRequestHandler):
    owner: ScriptedLLMServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        if self.path.rstrip("/").endswith("/models"):
            self._json(200, {"object": "list", "data": [{"id": self.owner.model, "object": "model",
                                                          "owned_by": "scripted"}]})
        elif self.path.rstrip("/").endswith("/api/tags"):
            self._json(200, {"models": [{"name": self.owner.model, "model": self.owner.model}]})
        else:
            self._json(404, {"error": {"message": f"no route {self.path}"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            self._json(400, {"error": {"message": "request body is not JSON"}})
            return
        self.owner.requests.append(RecordedRequest(self.path, body, dict(self.headers)))
        if self.path.endswith("/chat/completions"):
            self._answer(body, ollama=False)
        elif self.path.endswith("/api/chat"):
            self._answer(body, ollama=True)
        elif self.path.endswith("/api/show"):
            self._json(200, {"modelinfo": {"general.context_length": 32768}, "capabilities": ["tools"]})
        else:
            self._json(404, {"error": {"message": f"no route {self.path}"}})

    def _answer(self, body: dict, ollama: bool) -> None:
        if self.owner.delay:
            time.sleep(self.owner.delay)
        step = self.owner._next_step(body)
        if isinstance(step, HttpError):
            payload = {"error": step.message} if ollama else {
                "error": {"message": step.message, "type": "invalid_request_error", "code": step.status}}
            self._json(step.status, payload)
            return
        if body.get("stream"):
            self._json(400, {"error": {"message": "scripted server does not stream; send stream=false"}})
            return
        model = body.get("model", self.owner.model)
        self._json(200, _ollama_body(step, model) if ollama else self._openai_body(step, model))

    def _openai_body(self, step: Reply | Call, model: str) -> dict:
        message: dict = {"role": "assistant", "content": step.text or None}
        finish = "stop"
        if isinstance(step, Call):
            finish = "tool_calls"
            message["tool_calls"] = [
                {"id": self.owner._next_call_id(), "type": "function",
                 "function": {"name": c.name, "arguments": c.arguments if isinstance(c.arguments, str)
                              else json.dumps(c.arguments, ensure_ascii=False)}}
                for c in step.calls]
        return {"id": "chatcmpl-scripted", "object": "chat.completion", "created": int(time.time()),
                "model": model, "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}

    def _json(self, status: int, payload: dict) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout tests)


def _ollama_body(step: Reply | Call, model: str) -> dict:
    message: dict = {"role": "assistant", "content": step.text or ""}
    if isinstance(step, Call):
        message["tool_calls"] = [
            {"function": {"name": c.name, "arguments": c.arguments if isinstance(c.arguments, dict)
                          else _loads_or_raw(c.arguments)}}
            for c in step.calls]
    return {"model": model, "created_at": "2024-01-01T00:00:00Z", "message": message, "done": True,
            "done_reason": "stop", "total_duration": 1, "prompt_eval_count": 1, "eval_count": 1}


def _loads_or_raw(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return {"_raw": text}


def free_port_with_nothing_listening() -> int:
    """A loopback port that refuses connections (for 'server is down' tests)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def last_tool_results(body: dict) -> list[str]:
    """Text of the tool results the client sent in this request (OpenAI or Ollama shape)."""
    out: list[str] = []
    for message in body.get("messages", []):
        if message.get("role") == "tool":
            content = message.get("content")
            if isinstance(content, list):
                content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
            out.append(content or "")
    return out
