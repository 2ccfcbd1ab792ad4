"""Where the /v1 endpoint runs: mounted on the Gradio app's server, or on its own port."""

from __future__ import annotations

import threading
import time
from typing import Any

from assistant.api.openai_compat import build_router, create_api_app
from assistant.settings import Settings


def mount_api(app: Any, service: Any, settings: Settings) -> None:
    """Add the /v1 routes to a running FastAPI app (Gradio's); Starlette reads its routes per request."""
    app.include_router(build_router(service, settings.api.api_key, settings.api.max_body_bytes))


def start_api_server(service: Any, settings: Settings, host: str, port: int, timeout_s: float = 20.0) -> Any:
    """A uvicorn server for the /v1 routes in a daemon thread; OSError when it cannot listen."""
    import uvicorn

    app = create_api_app(service, settings.api.api_key, settings.api.max_body_bytes)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, name="legal-assistant-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout_s
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise OSError(f"the /v1 endpoint could not listen on {host}:{port}")
        time.sleep(0.05)
    return server
