"""Maps the error tree to HTTP: JSON problems under /api, friendly pages elsewhere."""

from __future__ import annotations

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from skillpath.core.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    Problem,
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
N_ = i18n.N_
TITLES = {
    400: N_("Bad request"),
    401: N_("Not logged in"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Method not allowed"),
    409: N_("Conflict"),
    422: N_("Invalid input"),
    429: N_("Too many attempts"),
    500: N_("Something went wrong"),
}
# Said instead of the bare HTTP reason phrase ("Not Found") when a route raises no message.
PLAIN_MESSAGES = {
    404: N_("There is no page at this address."),
    405: N_("This address does not accept that kind of request."),
}


def status_for(error: SkillpathError) -> int:
    """The HTTP status of an expected failure."""
    for cls, status in STATUS_BY_ERROR:
        if isinstance(error, cls):
            return status
    return 400


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def problem_text(problem: Problem) -> str:
    """A problem's reason in the reader's language, with the refused value when there is one."""
    text = i18n.gettext(problem.reason)
    if problem.value not in (None, ""):
        text = i18n.gettext("%(reason)s (got %(value)s)") % {
            "reason": text,
            "value": repr(problem.value),
        }
    return text


def describe_problem(problem: Problem) -> str:
    """A problem in the reader's language: "row 3, column 'offset': must be a whole number"."""
    _ = i18n.gettext
    where = []
    if problem.file:
        where.append(problem.file)
    if problem.row is not None:
        where.append(_("row %(row)s") % {"row": i18n.number(problem.row)})
    if problem.column:
        where.append(_("column %(column)s") % {"column": repr(problem.column)})
    text = problem_text(problem)
    if where:
        return _("%(where)s: %(problem)s") % {"where": ", ".join(where), "problem": text}
    return text


def _error_page(request: Request, status: int, message: str, problems: list[str]) -> Response:
    from skillpath.web.templating import render

    return render(
        request,
        "error.html",
        {
            "status": status,
            "title": TITLES.get(status, N_("Error")),
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
        return _error_page(request, status, error.message, [describe_problem(p) for p in problems])

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
        message = str(error.detail)
        if message in {status.phrase for status in HTTPStatus}:
            message = PLAIN_MESSAGES.get(error.status_code, TITLES.get(error.status_code, message))
        return _error_page(request, error.status_code, message, [])
