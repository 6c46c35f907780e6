"""`skillpath serve`: the web app with uvicorn."""

from __future__ import annotations

import typer
import uvicorn

from skillpath.config import get_settings
from skillpath.migrations import upgrade_to_head


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    workers: int = typer.Option(1, "--workers", help="Worker processes."),
) -> None:
    """Upgrade the schema if needed and serve the web app and API."""
    upgrade_to_head(get_settings().database_url)
    run_server(host=host, port=port, workers=workers)


def run_server(*, host: str, port: int, workers: int = 1) -> None:
    """Run uvicorn on the app factory."""
    uvicorn.run(
        "skillpath.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        proxy_headers=True,
    )
