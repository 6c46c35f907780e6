"""Use cases of analytics: the figures each role's home page opens with."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from statistics import median

from sqlalchemy.orm import Session

from skillpath.core.clock import today as utc_today
from skillpath.domains.analytics import queries
from skillpath.domains.analytics.schemas import (
    CountryHeadcount,
    EmployeeFigures,
    OrgFigures,
    TeamFigures,
    TeamMember,
    UnitHeadcount,
)
from skillpath.domains.evidence import repository as evidence_repository
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.people import repository as people_repository
from skillpath.domains.people import service as people_service
from skillpath.domains.people.schemas import OrgUnitRead, PersonRef, UnitRef

HISTORY_WINDOW_DAYS = 365
EVIDENCE_WINDOW_DAYS = 90
FRESHNESS_WINDOW_DAYS = 180
LARGEST_UNITS_SHOWN = 8
LATEST_EVIDENCE_SHOWN = 5


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _median_days(spans: list[int]) -> float | None:
    return float(median(spans)) if spans else None


def _largest_units(tree: list[OrgUnitRead]) -> list[UnitHeadcount]:
    """The biggest units of the first level that splits the organisation (below a single root)."""
    level = [unit for unit in tree if unit.depth == 0]
    if len(level) == 1:
        root = level[0].id
        level = [unit for unit in tree if unit.parent_id == root] or level
    level.sort(key=lambda unit: (-unit.total_headcount, unit.name))
    return [
        UnitHeadcount(unit=UnitRef(id=unit.id, name=unit.name), headcount=unit.total_headcount)
        for unit in level[:LARGEST_UNITS_SHOWN]
    ]


def org_figures(session: Session, *, today: date | None = None) -> OrgFigures:
    """Headcount, structure, taxonomy, catalog, evidence and hiring history of the organisation.

    Windows end today: evidence over the last 90 days, openings and leavers over the last 365.
    Time to fill is the days from opening to filling; medians are over filled openings.
    """
    day = today or utc_today()
    window_start = day - timedelta(days=HISTORY_WINDOW_DAYS)
    by_country = queries.headcount_by_country(session, day)
    filled = queries.filled_openings(session, window_start, day)
    spans = [(filled_on - opened_on).days for opened_on, filled_on, _source in filled]
    internal = [(f - o).days for o, f, source in filled if source == "internal"]
    external = [(f - o).days for o, f, source in filled if source == "external"]
    evidence_rows, evidence_people = queries.evidence_since(
        session, _start_of(day - timedelta(days=EVIDENCE_WINDOW_DAYS))
    )
    return OrgFigures(
        as_of=day,
        active_headcount=sum(n for _country, n in by_country),
        countries=len([country for country, _n in by_country if country]),
        headcount_by_country=[CountryHeadcount(country=c, headcount=n) for c, n in by_country],
        largest_units=_largest_units(people_service.org_tree(session, today=day)),
        units=queries.count_org_units(session),
        roles=queries.count_roles(session, templates=False),
        role_templates=queries.count_roles(session, templates=True),
        skills=queries.count_skills(session),
        taxonomy_sources=queries.count_taxonomy_sources(session),
        catalog_items=queries.count_catalog_items(session),
        evidence_window_days=EVIDENCE_WINDOW_DAYS,
        evidence_recent=evidence_rows,
        evidence_people_recent=evidence_people,
        history_window_days=HISTORY_WINDOW_DAYS,
        openings_open=queries.count_open_openings(session),
        openings_opened=queries.count_openings_opened(session, window_start, day),
        openings_filled=len(filled),
        openings_filled_internal=len(internal),
        internal_share=len(internal) / len(filled) if filled else None,
        median_days_to_fill=_median_days(spans),
        median_days_to_fill_internal=_median_days(internal),
        median_days_to_fill_external=_median_days(external),
        leavers=queries.count_leavers(session, window_start, day),
    )


def team_figures(
    session: Session, *, viewer: Viewer, manager_id: int, today: date | None = None
) -> TeamFigures:
    """A manager's reporting line: size, direct reports and how fresh their evidence is."""
    day = today or utc_today()
    manager = people_service.visible_employee_summary(
        session, viewer=viewer, employee_id=manager_id, today=day
    )
    reports = [
        people_service.employee_summary(row, day)
        for row in people_repository.direct_reports(
            session, viewer=viewer, manager_id=manager_id, today=day
        )
    ]
    stats = evidence_repository.evidence_stats_by_employee(session, [r.id for r in reports])
    total = queries.reporting_line_headcount(session, manager_id, day)
    fresh, recent, newest = queries.reporting_line_evidence(
        session,
        manager_id,
        day,
        fresh_since=_start_of(day - timedelta(days=FRESHNESS_WINDOW_DAYS)),
        recent_since=_start_of(day - timedelta(days=EVIDENCE_WINDOW_DAYS)),
    )
    return TeamFigures(
        as_of=day,
        manager=manager,
        direct_count=len(reports),
        total_count=total,
        direct_reports=[
            TeamMember(
                person=report,
                evidence_count=stats.get(report.id, (0, None))[0],
                latest_evidence_at=stats.get(report.id, (0, None))[1],
            )
            for report in reports
        ],
        freshness_window_days=FRESHNESS_WINDOW_DAYS,
        people_with_fresh_evidence=fresh,
        fresh_share=fresh / total if total else None,
        evidence_window_days=EVIDENCE_WINDOW_DAYS,
        evidence_recent=recent,
        latest_evidence_at=newest,
    )


def employee_figures(
    session: Session, *, viewer: Viewer, employee_id: int, today: date | None = None
) -> EmployeeFigures:
    """A person's role, manager, unit, and how much of their role's profile has evidence."""
    day = today or utc_today()
    person = people_service.visible_employee_summary(
        session, viewer=viewer, employee_id=employee_id, today=day
    )
    chain = people_repository.manager_chain(session, employee_id)
    evidenced = evidence_repository.evidenced_skill_ids(session, employee_id)
    role_skills = (
        {line.skill_id for line, _name in people_repository.role_profile(session, person.role.id)}
        if person.role is not None
        else set()
    )
    latest, total = evidence_service.evidence_of_employee(
        session, viewer=viewer, employee_id=employee_id, limit=LATEST_EVIDENCE_SHOWN
    )
    manager = PersonRef(id=chain[0][0], name=f"{chain[0][1]} {chain[0][2]}") if chain else None
    return EmployeeFigures(
        as_of=day,
        person=person,
        manager=manager,
        skills_with_evidence=len(evidenced),
        evidence_total=total,
        role_skill_count=len(role_skills),
        role_skills_with_evidence=len(role_skills & evidenced),
        latest_evidence=latest,
    )


def has_reports(session: Session, *, employee_id: int, today: date | None = None) -> bool:
    """Whether a person manages anyone today (managers get the team home page)."""
    return queries.reporting_line_headcount(session, employee_id, today or utc_today()) > 0
