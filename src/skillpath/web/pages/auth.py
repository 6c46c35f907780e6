"""Login, logout and language choice."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from skillpath.config import Settings
from skillpath.core.errors import ThrottledError, UnauthorizedError
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.models import User
from skillpath.domains.identity.service import ThrottlePolicy
from skillpath.domains.people import service as people_service
from skillpath.web import i18n
from skillpath.web.deps import (
    SESSION_TIMEZONE_KEY,
    SESSION_USER_KEY,
    CsrfChecked,
    DbSession,
    client_ip,
    get_settings,
    optional_page_user,
)
from skillpath.web.templating import render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only same-site paths are allowed as a post-login destination."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login")
def login_form(
    request: Request,
    user: Annotated[User | None, Depends(optional_page_user)],
    next: str | None = None,
) -> Response:
    """The login page (or home when already logged in)."""
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "auth/login.html", {"next": _safe_next(next), "email": ""})


@router.post("/login", dependencies=[CsrfChecked])
def login(
    request: Request,
    session: DbSession,
    settings: Annotated[Settings, Depends(get_settings)],
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the credentials; on success start a fresh session."""
    policy = ThrottlePolicy(settings.login_max_failures, settings.login_window_seconds)
    try:
        user = identity.authenticate(
            session, email=email, password=password, ip=client_ip(request), policy=policy
        )
    except (UnauthorizedError, ThrottledError) as error:
        status = 429 if isinstance(error, ThrottledError) else 401
        return render(
            request,
            "auth/login.html",
            {"next": _safe_next(next), "email": email, "error": i18n.gettext(error.message)},
            status_code=status,
        )
    csrf = request.session.get("csrf")
    # A language picked on the login page itself wins over the one saved for the user.
    chosen = request.session.get("locale")
    request.session.clear()
    request.session[SESSION_USER_KEY] = user.id
    if isinstance(csrf, str):
        request.session["csrf"] = csrf
    locale = chosen if isinstance(chosen, str) else user.locale
    if locale:
        request.session["locale"] = locale
    timezone = people_service.timezone_of_employee(session, employee_id=user.employee_id)
    if timezone:
        request.session[SESSION_TIMEZONE_KEY] = timezone
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request, session: DbSession) -> Response:
    """End the session."""
    user_id = request.session.get(SESSION_USER_KEY)
    if isinstance(user_id, int):
        identity.record_logout(session, user_id=user_id, ip=client_ip(request))
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.post("/locale", dependencies=[CsrfChecked])
def choose_locale(
    request: Request,
    locale: Annotated[str, Form(max_length=12)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Remember the language chosen for this session."""
    chosen = i18n.normalize_locale(locale)
    if chosen in i18n.available_locales():
        request.session["locale"] = chosen
    return RedirectResponse(_safe_next(next), status_code=303)
