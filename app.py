"""The budget-qa web app: Gradio chat at "/", REST API at /api (ask, health, docs).

`budget-qa serve [--host] [--port]` or `python app.py [same flags]` builds the index on first run, then serves.
"""
from __future__ import annotations

import os
import socket
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from fastapi import FastAPI  # noqa: E402

from settings import Settings  # noqa: E402
from webui.api import build_api  # noqa: E402
from webui.services import AppServices  # noqa: E402


def create_app(settings: Settings, services: AppServices | None = None) -> FastAPI:
    """FastAPI app with the REST API and the Gradio UI mounted at '/'."""
    from webui.ui import mount
    services = services or AppServices.start(settings)
    api = build_api(services)
    return mount(api, services, path="/")


def port_is_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def serve(settings: Settings) -> int:
    """Build/open the index (with progress), load the assistant, then serve until interrupted."""
    import uvicorn
    if not port_is_free(settings.host, settings.port):
        print(f"budget-qa: {settings.host}:{settings.port} is already in use; pass --port (or BUDGETQA_PORT)",
              file=sys.stderr)
        return 1
    print(f"budget-qa: loading the index and assistant (corpus {settings.corpus_dir}) …", file=sys.stderr)
    from index.api import IndexUnavailableError
    from index.embedders import EmbedderError
    try:
        app = create_app(settings)
    except (IndexUnavailableError, EmbedderError) as exc:
        print(f"budget-qa: cannot start: {exc}", file=sys.stderr)
        return 1
    print(f"budget-qa: open http://{settings.host}:{settings.port}/  (API: /api/ask, /api/health, /api/docs)",
          file=sys.stderr)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
    return 0


def main(argv: list[str] | None = None) -> int:
    from cli import main as cli_main
    return cli_main(["serve", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
