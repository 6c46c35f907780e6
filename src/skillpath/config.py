"""Settings (pydantic-settings): the only module that reads the environment."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Process-wide configuration, read from `SKILLPATH_*` environment variables."""

    model_config = SettingsConfigDict(env_prefix="SKILLPATH_", extra="ignore")

    database_url: str = "sqlite:///./skillpath.db"
    queue_url: str = Field(
        default="sqlite:///./skillpath-queue.db",
        description="The background job queue: sqlite:///PATH (default) or redis://HOST:PORT/DB.",
    )
    secret_key: str = Field(
        default="",
        description="Signs session cookies; when empty a random key is kept in secret_key_file.",
    )
    secret_key_file: Path = Path(".skillpath-secret")
    cookie_secure: bool = False
    session_max_age_seconds: int = 8 * 3600
    login_max_failures: int = 5
    login_window_seconds: int = 15 * 60
    default_locale: str = "en"
    display_scale: str = "five_point"
    cache_dir: Path = Path(".skillpath-cache")
    ai_embeddings: bool = Field(
        default=True,
        description="Rank skills with sentence embeddings when the `ai` extra is installed "
        "(false: always the lexical path).",
    )
    shared_data_dir: Path = Path("../shared/data")
    gig_time_cap: float = Field(
        default=0.2,
        gt=0,
        le=1,
        description="The largest share of a working week a person may spend in approved gigs "
        "and projects (internal marketplace).",
    )

    def resolved_secret_key(self) -> str:
        """The configured secret, or one generated once and kept on disk next to the database."""
        if self.secret_key:
            return self.secret_key
        path = self.secret_key_file
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        key = secrets.token_urlsafe(48)
        path.write_text(key, encoding="utf-8")
        path.chmod(0o600)
        return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process (cached; tests build their own `Settings`)."""
    return Settings()
