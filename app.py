"""The budget-qa web app: Gradio chat at "/", REST API at /api (ask, health, docs).

`budget-qa serve [--host] [--port]` or `python app.py [same flags]` builds the index on first run, then serves.
"""
from __future__ import annotations

import os
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


def serve(settings: Settings) -> int:
    import uvicorn
    print(f"budget-qa: loading the index and assistant (corpus {settings.corpus_dir}) …", file=sys.stderr)
    app = create_app(settings)
    print(f"budget-qa: open http://{settings.host}:{settings.port}/  (API: /api/ask, /api/health, /api/docs)",
          file=sys.stderr)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
    return 0


def main(argv: list[str] | None = None) -> int:
    from cli import main as cli_main
    return cli_main(["serve", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
