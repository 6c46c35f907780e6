"""`skillpath db ...`: schema migrations."""

from __future__ import annotations

import typer

from skillpath.cli.common import console
from skillpath.config import get_settings
from skillpath.migrations import upgrade_to_head

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade() -> None:
    """Create or upgrade the database schema to the newest revision."""
    url = get_settings().database_url
    upgrade_to_head(url)
    console.print(f"Database is up to date ({_redact(url)}).")


def _redact(url: str) -> str:
    """Hide a password in a database URL."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in credentials else url
    return url
