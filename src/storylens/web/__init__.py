"""The web UI and HTTP API: `storylens serve --db FILE`."""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi import FastAPI

from storylens.web.app import WebSettings, create_app

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def serve(db: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, max_bytes: int | None = None) -> None:
    """Serve the store at ``db`` until interrupted; loopback only unless another host is given."""
    import uvicorn

    settings = WebSettings() if max_bytes is None else WebSettings(max_bytes=max_bytes)
    app = create_app(db, settings)
    threading.Thread(target=_load_model, args=(app,), daemon=True).start()
    # keep idle connections longer than uvicorn's 5 s, so a busy reader's next request never races the close
    uvicorn.run(app, host=host, port=port, log_level="info", timeout_keep_alive=30)


def _load_model(app: FastAPI) -> None:
    """Load spaCy while the server starts, so the first article analysed does not wait for it too."""
    from storylens.analysis import nlp

    with app.state.view.analysis_lock:
        nlp.load()


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "WebSettings", "create_app", "serve"]
