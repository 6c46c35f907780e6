"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from skillpath import __version__
from skillpath.config import Settings, get_settings
from skillpath.db.session import make_engine, make_session_factory
from skillpath.web import api, i18n, pages
from skillpath.web.deps import SESSION_TIMEZONE_KEY, SESSION_USER_KEY
from skillpath.web.errors import install_error_handlers

STATIC_DIR = Path(__file__).resolve().parent / "static"
API_DESCRIPTION = """
The Skillpath REST API. Every call under `/api/v1` needs `Authorization: Bearer TOKEN`
(create one with `skillpath tokens create EMAIL`). Lists are paginated with `limit` and `offset`
and answer `{"items": [...], "total": N}`. Personal data follows the same visibility rule as the
pages: an employee sees their own record, a manager their reporting line, HR and executives
everyone.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for a database; tests pass their own settings."""
    settings = settings or get_settings()
    app = FastAPI(
        title="Skillpath API",
        version=__version__,
        description=API_DESCRIPTION,
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    engine = make_engine(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)

    @app.middleware("http")
    async def locale_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        preferred = request.session.get("locale") if "session" in request.scope else None
        locale = i18n.negotiate_locale(
            request.headers.get("accept-language"),
            preferred if isinstance(preferred, str) else None,
        )
        zone = request.session.get(SESSION_TIMEZONE_KEY) if "session" in request.scope else None
        token = i18n.current_locale.set(locale)
        zone_token = i18n.current_timezone.set(i18n.valid_timezone(zone))
        try:
            response = await call_next(request)
        finally:
            i18n.current_timezone.reset(zone_token)
            i18n.current_locale.reset(token)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.scope.get("session", {}).get(SESSION_USER_KEY):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    # Added after the middleware above so it runs first (outermost) and the session is loaded.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.resolved_secret_key(),
        session_cookie="skillpath_session",
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR), check_dir=False), name="static")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok", "version": __version__})

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title="Skillpath API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    app.include_router(api.router, prefix="/api/v1")
    app.include_router(pages.router)
    return app
