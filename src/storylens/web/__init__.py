"""The web UI and HTTP API: `storylens serve --db FILE`."""

from __future__ import annotations

from pathlib import Path

from storylens.web.app import WebSettings, create_app

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def serve(db: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, max_bytes: int | None = None) -> None:
    """Serve the store at ``db`` until interrupted; loopback only unless another host is given."""
    import uvicorn

    settings = WebSettings() if max_bytes is None else WebSettings(max_bytes=max_bytes)
    # keep idle connections longer than uvicorn's 5 s, so a busy reader's next request never races the close
    uvicorn.run(create_app(db, settings), host=host, port=port, log_level="info", timeout_keep_alive=30)


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "WebSettings", "create_app", "serve"]
