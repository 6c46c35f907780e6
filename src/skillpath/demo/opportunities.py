"""The internal marketplace of the demo company, posted and used through the services like a
customer would: HR posts a dozen of the open openings as roles, managers post gigs, projects, a
stretch assignment and a mentoring offer asking skills of the demo taxonomy, and the stories play
out — the story manager owns an opening of their team with ranked internal candidates, two of
whom applied (one shortlisted), and waits on a gig approval for one of their reports; the story
employee (a Customer Support Rep working towards Salesforce Administrator) finds good matches and
has saved one. Every score is the match engine's, computed from the generated people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from skillpath.core.errors import SkillpathError
from skillpath.core.levels import DEFAULT_SCALE
from skillpath.domains.identity.models import User
from skillpath.domains.identity.service import viewer_for
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.mobility import applications, service
from skillpath.domains.mobility.models import Opportunity, OpportunityNotification
from skillpath.domains.mobility.schemas import Kind, OpportunityIn, SkillAsk
from skillpath.domains.people.models import Employee, Opening, Role

ROLE_POSTINGS = 12
"""How many of the open openings HR posts as role opportunities (distinct roles first)."""
CLOSES_AFTER_DAYS = 30
STORY_OPENING_DAYS_AGO = 24
"""The story manager's opening was opened this many days before the demo's date."""
STORY_ROLE = "Senior Customer Support Rep"
STORY_APPLICANTS = 2
DEMO_ACTOR = "skillpath demo"


@dataclass(frozen=True)
class Posting:
    """A gig, project, stretch assignment or mentoring offer of the demo: its owner is the first
    active holder of `owner_role`; skills are (taxonomy key, level 1–5, importance)."""

    kind: Kind
    title: str
    description: str
    owner_role: str
    skills: tuple[tuple[str, int, float], ...]
    time_share: float
    weeks: int
    remote: bool = False
    starts_in_days: int = 14


POSTINGS = (
    Posting(
        "gig",
        "CRM data clean-up sprint",
        "Find and merge duplicate customer records, fix missing fields and agree the rules "
        "that keep them clean. One day a week for six weeks, with the CRM team.",
        "Customer Support Team Lead",
        (
            ("data_quality_management", 3, 1.0),
            ("crm", 3, 0.8),
            ("excel", 2, 0.5),
            ("attention_to_detail", 2, 0.5),
        ),
        0.2,
        6,
        remote=True,
    ),
    Posting(
        "project",
        "Dashboard for store performance",
        "Build the weekly store performance dashboard (sales, conversion, stock cover) with the "
        "analytics team, from the data model to the first review with area managers.",
        "Analytics Manager",
        (
            ("data_visualisation", 3, 1.0),
            ("sql", 3, 0.9),
            ("retail_kpis", 2, 0.6),
            ("tableau", 2, 0.5),
            ("data_storytelling", 2, 0.4),
        ),
        0.2,
        10,
        remote=True,
    ),
    Posting(
        "gig",
        "Rewrite the help centre articles on returns",
        "Rewrite the twenty most read help-centre articles for the new returns policy, "
        "in plain words, and test them with customers.",
        "Customer Experience Director",
        (
            ("knowledge_base_writing", 3, 1.0),
            ("returns_processing", 3, 0.8),
            ("customer_service", 3, 0.6),
            ("copywriting", 2, 0.4),
        ),
        0.1,
        4,
        remote=True,
    ),
    Posting(
        "gig",
        "Live chat pilot for the online shop",
        "Answer the online shop's new live chat two days a week during the pilot, and tell the "
        "e-commerce team which questions the product pages leave open.",
        "E-commerce Manager",
        (
            ("live_chat_support", 3, 1.0),
            ("customer_empathy", 3, 0.8),
            ("complaint_handling", 3, 0.8),
            ("product_knowledge", 3, 0.6),
            ("ticketing_systems", 2, 0.5),
        ),
        0.2,
        8,
        remote=True,
    ),
    Posting(
        "stretch",
        "Lead the returns process redesign",
        "Run the cross-team redesign of store and online returns: map today's process, agree "
        "the new one with stores, the distribution centres and customer support.",
        "Supply Chain Manager",
        (
            ("reverse_logistics", 3, 0.8),
            ("project_management", 3, 1.0),
            ("stakeholder_communication", 3, 0.8),
            ("returns_processing", 2, 0.5),
        ),
        0.3,
        12,
    ),
    Posting(
        "project",
        "Marketplace launch: product data readiness",
        "Get the product catalogue ready for the new online marketplaces: attributes, images, "
        "descriptions and the checks that keep them complete.",
        "E-commerce Manager",
        (
            ("product_information_management", 3, 1.0),
            ("marketplace_management", 2, 0.8),
            ("data_cleaning", 2, 0.6),
            ("attention_to_detail", 3, 0.4),
        ),
        0.4,
        8,
        remote=True,
    ),
    Posting(
        "gig",
        "Peak-season returns forecast",
        "Forecast returns per week for the peak season from last year's data, so that the "
        "distribution centres can plan shifts.",
        "Supply Chain Manager",
        (
            ("forecasting", 2, 1.0),
            ("data_analysis", 3, 0.8),
            ("excel", 3, 0.6),
        ),
        0.2,
        4,
    ),
    Posting(
        "mentoring",
        "Mentoring: your first Salesforce reports",
        "An hour every other week with a senior administrator: from a first report to a "
        "dashboard your team uses.",
        "Senior Salesforce Administrator",
        (
            ("salesforce_reports", 2, 1.0),
            ("crm", 2, 0.6),
        ),
        0.05,
        12,
        remote=True,
    ),
)
"""Gigs, projects, a stretch assignment and a mentoring offer; the first belongs to the story
manager's team; the CRM and live chat ones suit the story employee."""
ASPIRATION_ROLE = (
    "Salesforce Administrator",
    "CRM Manager",
    "Our CRM team takes on a second administrator as the e-commerce shift moves service "
    "and sales data into Salesforce.",
)
"""A role posted without an opening (new headcount): the story employee's reskilling target."""
HELP_CENTRE_GIG = "Rewrite the help centre articles on returns"
"""One of the story manager's reports is selected for it: their approval waits."""
SAVED_BY_EMPLOYEE = "Mentoring: your first Salesforce reports"
"""The story employee saved it."""


@dataclass
class OpportunitiesSeeded:
    """What the demo posted and did."""

    opportunities: int = 0
    interests: int = 0
    """Applications and saves made by people of the stories."""
    notifications: int = 0
    refused: list[str] = field(default_factory=list)


def _viewer_of_user(session: Session, role: str, employee_id: int | None = None) -> Viewer | None:
    query = select(User).where(User.role == role)
    if employee_id is not None:
        query = query.where(User.employee_id == employee_id)
    user = session.scalar(query.order_by(User.id).limit(1))
    return viewer_for(user) if user is not None else None


def _person(employee_id: int) -> Viewer:
    """The viewer of a generated person acting on their own record (no login of their own)."""
    return Viewer(user_id=0, email=DEMO_ACTOR, role="employee", employee_id=employee_id)


def _active(day: date) -> ColumnElement[bool]:
    return (Employee.left_on.is_(None)) | (Employee.left_on > day)


def _holder(session: Session, role_title: str, day: date) -> int | None:
    """The first active holder of a role (by id)."""
    return session.scalar(
        select(Employee.id)
        .join(Role, Role.id == Employee.role_id)
        .where(Role.title == role_title, _active(day))
        .order_by(Employee.id)
        .limit(1)
    )


def _level(display: int) -> float:
    return DEFAULT_SCALE.to_latent(display)


def _open_openings(session: Session, day: date) -> list[int]:
    """Open openings, one per role first (oldest first), then the rest."""
    rows = session.execute(
        select(Opening.id, Opening.role_id)
        .where(
            Opening.status == "open",
            Opening.opened_on <= day,
            ~select(Opportunity.id).where(Opportunity.opening_id == Opening.id).exists(),
        )
        .order_by(Opening.opened_on, Opening.id)
    ).all()
    seen: set[int] = set()
    first: list[int] = []
    rest: list[int] = []
    for opening_id, role_id in rows:
        (rest if role_id in seen else first).append(opening_id)
        seen.add(role_id)
    return first + rest


def _story_opening(session: Session, manager_id: int, day: date) -> int | None:
    """An opening in the story manager's team (a Senior Customer Support Rep), opened a few
    weeks ago: the one they fill internally in the story."""
    manager = session.get(Employee, manager_id)
    role_id = session.scalar(select(Role.id).where(Role.title == STORY_ROLE).limit(1))
    if manager is None or role_id is None:
        return None
    next_id = int(session.scalar(select(func.coalesce(func.max(Opening.id), 0))) or 0) + 1
    opening = Opening(
        id=next_id,
        external_id=f"REQ-STORY-{next_id:05d}",
        role_id=role_id,
        org_unit_id=manager.org_unit_id,
        location_id=manager.location_id,
        hiring_manager_id=manager.id,
        opened_on=day - timedelta(days=STORY_OPENING_DAYS_AGO),
        status="open",
        cost=0.0,
        currency="EUR",
    )
    session.add(opening)
    session.flush()
    return opening.id


def seed_opportunities(
    session: Session,
    *,
    as_of: date,
    skill_ids: dict[str, int],
    employee_id: int | None,
    manager_id: int | None,
) -> OpportunitiesSeeded:
    """Post the marketplace and play the stories (see the module docstring)."""
    seeded = OpportunitiesSeeded()
    hr = _viewer_of_user(session, "hr_admin")
    if hr is None:
        return seeded
    manager = (
        _viewer_of_user(session, "manager", manager_id) if manager_id is not None else None
    ) or hr
    closes = as_of + timedelta(days=CLOSES_AFTER_DAYS)

    def post(viewer: Viewer, data: OpportunityIn) -> int | None:
        try:
            posted = service.create_opportunity(session, viewer=viewer, data=data, today=as_of)
        except SkillpathError as error:
            seeded.refused.append(f"{data.title or data.opening_id}: {error.message}")
            return None
        seeded.opportunities += 1
        return posted.id

    # The story manager's opening, posted by them first (so it is theirs), then HR's postings.
    story_id: int | None = None
    if manager_id is not None:
        opening_id = _story_opening(session, manager_id, as_of)
        if opening_id is not None:
            story_id = post(
                manager,
                OpportunityIn(
                    kind="role",
                    opening_id=opening_id,
                    description="Join the senior line of our support team: the hardest "
                    "cases, coaching new colleagues and the knowledge base.",
                    closes_on=closes,
                    publish=True,
                ),
            )
    for opening_id in _open_openings(session, as_of)[:ROLE_POSTINGS]:
        post(hr, OpportunityIn(kind="role", opening_id=opening_id, closes_on=closes, publish=True))
    title, owner_role, description = ASPIRATION_ROLE
    role_id = session.scalar(select(Role.id).where(Role.title == title).limit(1))
    owner = _holder(session, owner_role, as_of)
    if role_id is not None:
        post(
            hr,
            OpportunityIn(
                kind="role",
                role_id=role_id,
                description=description,
                owner_id=owner,
                remote=False,
                closes_on=closes,
                publish=True,
            ),
        )
    gigs: dict[str, int] = {}
    for posting in POSTINGS:
        asks = [
            SkillAsk(skill_id=skill_ids[key], level=_level(level), importance=importance)
            for key, level, importance in posting.skills
            if key in skill_ids
        ]
        holder = (
            manager_id
            if posting is POSTINGS[0] and manager_id is not None
            else _holder(session, posting.owner_role, as_of)
        )
        if not asks or holder is None:
            continue
        posted = post(
            manager if holder == manager_id else hr,
            OpportunityIn(
                kind=posting.kind,
                title=posting.title,
                description=posting.description,
                owner_id=holder,
                remote=posting.remote,
                time_share=posting.time_share,
                duration_weeks=posting.weeks,
                starts_on=as_of + timedelta(days=posting.starts_in_days),
                closes_on=closes,
                skills=asks,
                publish=True,
            ),
        )
        if posted is not None:
            gigs[posting.title] = posted
    _play_stories(session, seeded, as_of, manager, story_id, gigs, employee_id, manager_id)
    return seeded


def _play_stories(
    session: Session,
    seeded: OpportunitiesSeeded,
    as_of: date,
    manager: Viewer,
    story_id: int | None,
    gigs: dict[str, int],
    employee_id: int | None,
    manager_id: int | None,
) -> None:
    """Applicants for the story manager's opening (one shortlisted), a gig selection waiting
    for the story manager's approval, and a saved opportunity for the story employee."""
    try:
        if story_id is not None:
            ranked = service.candidates(
                session, viewer=manager, opportunity_id=story_id, limit=10, today=as_of
            )
            target = session.scalar(select(Role.level).where(Role.title == STORY_ROLE).limit(1))
            levels = {row.id: row.level for row in session.execute(select(Role.id, Role.level))}
            # People who would step up into the role (not team leads stepping down).
            applicants = [
                m.person.id
                for m in ranked
                if m.person.id != employee_id
                and m.person_role is not None
                and target is not None
                and levels.get(m.person_role.id, target) < target
            ]
            for rank, person in enumerate(applicants[:STORY_APPLICANTS]):
                applications.apply(
                    session,
                    viewer=_person(person),
                    opportunity_id=story_id,
                    note="I have covered the senior queue during the summer and would like "
                    "to make it permanent."
                    if rank == 0
                    else "",
                    share_with_manager=rank == 0,
                    today=as_of,
                )
                seeded.interests += 1
            if applicants:
                applications.shortlist(
                    session, viewer=manager, opportunity_id=story_id, employee_id=applicants[0]
                )
        gig = gigs.get(HELP_CENTRE_GIG)
        if gig is not None and manager_id is not None:
            reports = list(
                session.scalars(
                    select(Employee.id)
                    .where(Employee.manager_id == manager_id, _active(as_of))
                    .order_by(Employee.id)
                )
            )
            joiner = next((p for p in reports if p != employee_id), None)
            owner = session.scalar(
                select(User).where(User.role == "hr_admin").order_by(User.id).limit(1)
            )
            if joiner is not None and owner is not None:
                applications.apply(session, viewer=_person(joiner), opportunity_id=gig, today=as_of)
                seeded.interests += 1
                applications.select(
                    session,
                    viewer=viewer_for(owner),
                    opportunity_id=gig,
                    employee_id=joiner,
                    today=as_of,
                )
        saved = gigs.get(SAVED_BY_EMPLOYEE)
        if saved is not None and employee_id is not None:
            applications.save(
                session, viewer=_person(employee_id), opportunity_id=saved, today=as_of
            )
            seeded.interests += 1
    except SkillpathError as error:
        seeded.refused.append(error.message)
    seeded.notifications = int(
        session.scalar(select(func.count()).select_from(OpportunityNotification)) or 0
    )
