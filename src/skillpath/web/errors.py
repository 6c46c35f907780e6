"""Maps the error tree to HTTP: JSON problems under /api, friendly pages elsewhere."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from skillpath.core.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    SkillpathError,
    ThrottledError,
    UnauthorizedError,
)
from skillpath.web import i18n
from skillpath.web.deps import LoginRequiredError

STATUS_BY_ERROR: list[tuple[type[SkillpathError], int]] = [
    (NotFoundError, 404),
    (ConflictError, 409),
    (ForbiddenError, 403),
    (UnauthorizedError, 401),
    (ThrottledError, 429),
    (InvalidInputError, 422),
]
TITLES = {
    400: "Bad request",
    401: "Not logged in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "Invalid input",
    429: "Too many attempts",
    500: "Something went wrong",
}


def status_for(error: SkillpathError) -> int:
    """The HTTP status of an expected failure."""
    for cls, status in STATUS_BY_ERROR:
        if isinstance(error, cls):
            return status
    return 400


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_page(request: Request, status: int, message: str, problems: list[str]) -> Response:
    from skillpath.web.templating import render

    return render(
        request,
        "error.html",
        {
            "status": status,
            "title": TITLES.get(status, "Error"),
            "message": i18n.gettext(message),
            "problems": problems,
        },
        status_code=status,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on an app."""

    @app.exception_handler(SkillpathError)
    async def handle_expected(request: Request, error: SkillpathError) -> Response:
        status = status_for(error)
        headers: dict[str, str] = {}
        if isinstance(error, ThrottledError):
            headers["Retry-After"] = str(error.retry_after_seconds)
        if isinstance(error, UnauthorizedError) and _is_api(request):
            headers["WWW-Authenticate"] = "Bearer"
        problems = error.problems if isinstance(error, InvalidInputError) else []
        if _is_api(request):
            body: dict[str, object] = {"detail": error.message}
            if problems:
                body["problems"] = [
                    {k: v for k, v in vars(p).items() if v is not None} for p in problems
                ]
            return JSONResponse(body, status_code=status, headers=headers)
        return _error_page(request, status, error.message, [p.describe() for p in problems])

    @app.exception_handler(LoginRequiredError)
    async def handle_login_required(request: Request, error: LoginRequiredError) -> Response:
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(error.next_path)}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def handle_validation(request: Request, error: RequestValidationError) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": error.errors()}, status_code=422)
        problems = [
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg', '')}"
            for e in error.errors()
        ]
        return _error_page(request, 400, "Some of the values sent are not valid.", problems)

    @app.exception_handler(StarletteHTTPException)
    async def handle_http(request: Request, error: StarletteHTTPException) -> Response:
        if _is_api(request):
            return JSONResponse(
                {"detail": error.detail}, status_code=error.status_code, headers=error.headers
            )
        return _error_page(request, error.status_code, str(error.detail), [])
