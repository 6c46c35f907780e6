"""The Jinja2 environment of every page: i18n, locale-aware filters, CSRF and navigation."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import HTMLResponse

from skillpath.core.levels import SCALES, importance_label
from skillpath.domains.identity.models import User
from skillpath.web import i18n
from skillpath.web.deps import CSRF_FIELD, CSRF_HEADER, csrf_token

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
_env = Environment(
    loader=FileSystemLoader(str(TEMPLATE_DIR)),
    autoescape=select_autoescape(["html", "xml"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.install_gettext_callables(  # type: ignore[attr-defined]
    i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext
)
templates = Jinja2Templates(env=_env)
_env.globals.update(
    CSRF_FIELD=CSRF_FIELD,
    CSRF_HEADER=CSRF_HEADER,
    available_locales=i18n.available_locales,
    locale_name=i18n.locale_name,
)
_env.filters.update(
    number=i18n.number,
    percent=i18n.percent,
    money=i18n.money,
    day=i18n.day,
    moment=i18n.moment,
    importance=importance_label,
)


def level_label(value: float | None, scale_code: str = "five_point") -> str:
    """A latent level as its display label on a scale ("Advanced")."""
    if value is None:
        return "–"
    return SCALES[scale_code].label(value)


def level_number(value: float | None, scale_code: str = "five_point") -> str:
    """A latent level as its display number on a scale ("4")."""
    if value is None:
        return "–"
    return str(SCALES[scale_code].from_latent(value))


_env.filters.update(level_label=level_label, level_number=level_number)

# Words computed in core that templates pass to `_()` as values (level and importance labels),
# spelled out so that `make messages` extracts them; a test keeps this list complete.
VALUE_LABELS = (
    i18n.N_("Awareness"),
    i18n.N_("Beginner"),
    i18n.N_("Intermediate"),
    i18n.N_("Advanced"),
    i18n.N_("Expert"),
    i18n.N_("Essential"),
    i18n.N_("Important"),
    i18n.N_("Nice to have"),
)


def navigation(user: User | None, counts: Mapping[str, int] | None = None) -> list[tuple[str, str]]:
    """The menu of a user: (label, path) pairs by role.

    Employees see their own profile and what they can learn or aim for; managers add their
    team (the directory shows their reporting line); HR and executives see the organisation;
    only HR sees the audit log. `counts` (by path) adds a number to an entry ("My tasks (2)").
    """
    if user is None:
        return []
    _ = i18n.gettext
    items = [(_("Home"), "/")]
    if user.employee_id is not None:
        items.append((_("My profile"), f"/people/{user.employee_id}"))
        items.append((_("My skills"), "/my-skills"))
        items.append((_("My gaps"), "/gaps/me"))
        items.append((_("My path"), "/paths/me"))
        items.append((_("Career paths"), "/careers"))
        items.append((_("Opportunities"), "/opportunities"))
        items.append((_("Mentoring"), "/mentoring"))
        open_tasks = (counts or {}).get("/tasks", 0)
        items.append(
            (_("My tasks (%(count)s)") % {"count": i18n.number(open_tasks)}, "/tasks")
            if open_tasks
            else (_("My tasks"), "/tasks")
        )
    if user.role in ("hr_admin", "executive"):
        items.append((_("People"), "/people"))
    elif user.role == "manager":
        items.append((_("My team"), "/people"))
        items.append((_("Team skills"), "/gaps/team"))
    if user.employee_id is not None and user.role in ("manager", "executive"):
        waiting = (counts or {}).get("/validation", 0)
        items.append(
            (_("Validation (%(count)s)") % {"count": i18n.number(waiting)}, "/validation")
            if waiting
            else (_("Validation"), "/validation")
        )
        deciding = (counts or {}).get("/paths/approvals", 0)
        items.append(
            (_("Path approvals (%(count)s)") % {"count": i18n.number(deciding)}, "/paths/approvals")
            if deciding
            else (_("Path approvals"), "/paths/approvals")
        )
    if user.role in ("hr_admin", "executive"):
        items.append((_("Organisation"), "/gaps/org"))
        items.append((_("ROI"), "/analytics"))
    if user.role == "hr_admin":
        items.append((_("Campaigns"), "/campaigns"))
        items.append((_("Programs"), "/paths/templates"))
        items.append((_("Mentoring programs"), "/mentoring/programs"))
    items.append((_("Roles"), "/roles"))
    items.append((_("Skills"), "/skills"))
    items.append((_("Catalog"), "/catalog"))
    if user.role == "hr_admin":
        items.append((_("Suggestions"), "/suggestions"))
        items.append((_("Audit"), "/audit"))
    return items


def country_name(code: str | None) -> str:
    """A country's name in the current locale ("DE" → "Germany"), or the code when unknown."""
    if not code:
        return i18n.gettext("Unknown")
    name: str = i18n.babel_locale().territories.get(code.upper(), code)
    return name


def language_name(code: str | None) -> str:
    """A language's name in the current locale ("de" → "German"), or the code when unknown."""
    if not code:
        return i18n.gettext("Unknown")
    names = i18n.babel_locale().languages
    return names.get(code) or names.get(code.replace("-", "_").split("_")[0]) or code


def duration(minutes: int | None) -> str:
    """A duration in minutes as people say it ("2 min", "1 h 30 min", "40 h")."""
    if minutes is None:
        return "–"
    hours, rest = divmod(int(minutes), 60)
    if hours == 0:
        return i18n.gettext("%(minutes)s min") % {"minutes": i18n.number(rest)}
    if rest == 0:
        return i18n.gettext("%(hours)s h") % {"hours": i18n.number(hours)}
    return i18n.gettext("%(hours)s h %(minutes)s min") % {
        "hours": i18n.number(hours),
        "minutes": i18n.number(rest),
    }


_env.filters.update(country_name=country_name, language_name=language_name, duration=duration)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    user: User | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a page with the shared context (user, navigation, CSRF token, locale)."""
    full: dict[str, Any] = {
        "user": user,
        "nav": navigation(user, getattr(request.state, "nav_counts", None)),
        "csrf_token": csrf_token(request),
        "locale": i18n.current_locale.get(),
        "current_path": request.url.path,
    }
    if context:
        full.update(context)
    response: HTMLResponse = templates.TemplateResponse(
        request, template, full, status_code=status_code
    )
    return response
