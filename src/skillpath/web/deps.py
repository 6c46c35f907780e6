"""Request dependencies: one transaction per request, the current user, CSRF checks."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from skillpath.config import Settings
from skillpath.core.errors import ForbiddenError, UnauthorizedError
from skillpath.domains.campaigns import service as campaigns
from skillpath.domains.evidence import capture
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.models import User
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.learning import paths as learning_paths

SESSION_USER_KEY = "user_id"
SESSION_TIMEZONE_KEY = "tz"
SESSION_CSRF_KEY = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class LoginRequiredError(Exception):
    """Raised by page dependencies when nobody is logged in; answered with a redirect."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request, committed before the response is sent (so a failed
    commit becomes an error response, never a false success)."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


DbSession = Annotated[Session, Depends(get_session, scope="function")]
_bearer = HTTPBearer(auto_error=False, description="An API token from `skillpath tokens create`")


def client_ip(request: Request) -> str:
    """The caller's address as the server sees it."""
    return request.client.host if request.client else ""


def api_user(
    session: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    """The user behind the bearer token of an API call, or 401."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise UnauthorizedError("This API needs an `Authorization: Bearer TOKEN` header.")
    return identity.user_for_token(session, credentials.credentials)


def api_viewer(user: Annotated[User, Depends(api_user)]) -> Viewer:
    """The visibility identity of an API caller."""
    return identity.viewer_for(user)


def optional_page_user(request: Request, session: DbSession) -> User | None:
    """The logged-in user of a page request, if any."""
    user_id = request.session.get(SESSION_USER_KEY)
    if not isinstance(user_id, int):
        return None
    user = identity.user_by_id(session, user_id)
    if user is None:
        request.session.clear()
    else:
        # Numbers the menu shows next to an entry (see `templating.navigation`).
        request.state.nav_counts = {
            "/tasks": campaigns.open_task_count(session, employee_id=user.employee_id),
            "/validation": capture.pending_count_of_manager(session, manager_id=user.employee_id),
            "/paths/approvals": (
                learning_paths.approval_count(session, viewer=identity.viewer_for(user))
                if user.role in ("manager", "executive")
                else 0
            ),
        }
    return user


def page_user(request: Request, user: Annotated[User | None, Depends(optional_page_user)]) -> User:
    """The logged-in user of a page request; otherwise a redirect to the login page."""
    if user is None:
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        raise LoginRequiredError(target)
    return user


def page_viewer(user: Annotated[User, Depends(page_user)]) -> Viewer:
    """The visibility identity of the logged-in user."""
    return identity.viewer_for(user)


def require_hr(viewer: Annotated[Viewer, Depends(page_viewer)]) -> Viewer:
    """Only HR admins may continue."""
    if not viewer.can_administer:
        raise ForbiddenError("Only HR administrators can do this.")
    return viewer


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get(SESSION_CSRF_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[SESSION_CSRF_KEY] = token
    return token


async def verify_csrf(request: Request) -> None:
    """Refuse a state-changing page request without the session's CSRF token."""
    expected = request.session.get(SESSION_CSRF_KEY)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or sent is None or not secrets.compare_digest(expected, sent):
        raise ForbiddenError("The form has expired. Please reload the page and try again.")


ApiViewer = Annotated[Viewer, Depends(api_viewer)]
PageUser = Annotated[User, Depends(page_user)]
PageViewer = Annotated[Viewer, Depends(page_viewer)]
HrViewer = Annotated[Viewer, Depends(require_hr)]
CsrfChecked = Depends(verify_csrf)
