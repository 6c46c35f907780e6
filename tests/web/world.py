"""A small, fully known company for web tests: built with the factories and committed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from skillpath.core.clock import today as utc_today
from skillpath.domains.identity import service as identity
from skillpath.domains.learning.models import ItemPrerequisite
from skillpath.domains.people.models import Opening, Role
from skillpath.domains.taxonomy.models import SkillAlias, SkillExternalId, SkillRelation
from tests.factories import (
    make_employee,
    make_evidence,
    make_item,
    make_location,
    make_role,
    make_skill,
    make_source,
    make_unit,
    make_user,
)

PASSWORD = "correct-horse"
LOGINS = ("hr", "executive", "manager", "employee", "peer")


@dataclass
class World:
    """Ids, e-mails and API tokens of the company, by a short name."""

    today: date
    ids: dict[str, int] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def build_world(session: Session) -> World:
    """Five current people and one leaver in four units and two countries, three roles (and a
    template), four skills from ESCO and O*NET, three catalog items, evidence, openings and
    one user per role. Flushes; the caller commits.

    Reporting lines: Cara (executive) ← Max (manager) ← Rui (employee), Ida, and Fay who left;
    Cara ← Oli (employee, Rui's peer outside Max's line).
    """
    today = utc_today()
    world = World(today=today)
    esco = make_source(session, "esco")
    esco.title = "ESCO"
    esco.version = "1.1.0"
    esco.attribution = "ESCO, European Commission"
    onet = make_source(session, "onet")
    onet.title = "O*NET"
    onet.attribution = "O*NET 29.0 Database, U.S. Department of Labor"
    group = make_skill(session, "ICT skills", source_key="esco", kind="group")
    sql = make_skill(
        session, "SQL", source_key="esco", parent=group, description="A query language."
    )
    python = make_skill(session, "Python (computer programming)", source_key="esco", parent=group)
    listening = make_skill(session, "Active Listening", source_key="onet")
    session.add_all(
        [
            SkillAlias(
                skill_id=sql.id,
                label="Structured Query Language",
                label_lower="structured query language",
                kind="alt",
            ),
            SkillAlias(skill_id=python.id, label="pyhton", label_lower="pyhton", kind="hidden"),
            SkillExternalId(skill_id=sql.id, system="onet", value="43232605"),
            SkillRelation(from_skill_id=python.id, to_skill_id=sql.id, kind="related"),
        ]
    )
    london = make_location(session, country="GB")
    berlin = make_location(session, country="DE", locale="de", timezone="Europe/Berlin")
    company = make_unit(session, "Acme")
    sales = make_unit(session, "Sales", parent=company)
    engineering = make_unit(session, "Engineering", parent=company)
    data = make_unit(session, "Data", parent=engineering)
    analyst_role = make_role(
        session, "Data Analyst", family="Data", skills=[(sql, 0.6, 0.9), (python, 0.4, 0.5)]
    )
    manager_role = make_role(session, "Engineering Manager", family="Engineering")
    sales_role = make_role(session, "Sales Rep", family="Sales", skills=[(listening, 0.8, 0.8)])
    template = Role(
        source="esco",
        external_id="http://data.europa.eu/esco/occupation/test",
        title="data scientist",
        title_lower="data scientist",
        is_template=True,
    )
    session.add(template)
    session.flush()
    ceo = make_employee(session, "Cara", "Boss", unit=company, location=london)
    manager = make_employee(
        session, "Max", "Manager", manager=ceo, unit=engineering, role=manager_role, location=london
    )
    analyst = make_employee(
        session, "Rui", "Analyst", manager=manager, unit=data, role=analyst_role, location=berlin
    )
    junior = make_employee(
        session, "Ida", "Junior", manager=manager, unit=data, role=analyst_role, location=berlin
    )
    peer = make_employee(
        session, "Oli", "Seller", manager=ceo, unit=sales, role=sales_role, location=london
    )
    former = make_employee(
        session,
        "Fay",
        "Former",
        manager=manager,
        unit=engineering,
        role=analyst_role,
        location=london,
        left_on=today - timedelta(days=30),
    )
    make_evidence(
        session, analyst, sql, level=0.6, source="self", observed_at=_at(today - timedelta(10))
    )
    make_evidence(
        session,
        analyst,
        sql,
        level=0.8,
        source="manager",
        confidence=0.8,
        rater=manager,
        observed_at=_at(today - timedelta(5)),
    )
    make_evidence(
        session,
        analyst,
        python,
        level=0.4,
        source="assessment",
        observed_at=_at(today - timedelta(400)),
    )
    make_evidence(
        session, peer, listening, level=0.8, source="self", observed_at=_at(today - timedelta(20))
    )
    basics = make_item(
        session,
        "SQL basics",
        minutes=120,
        locales=("en", "de"),
        offline=True,
        teaches=[(sql, 0.4)],
    )
    basics.provider = "Acme Academy"
    objections = make_item(
        session,
        "Handling common objections",
        kind="microlearning",
        minutes=2,
        teaches=[(listening, 0.3)],
    )
    advanced = make_item(
        session,
        "Advanced SQL project",
        kind="project-based course",
        minutes=600,
        teaches=[(sql, 0.8)],
    )
    session.add_all(
        [
            ItemPrerequisite(item_id=advanced.id, required_item_id=basics.id),
            ItemPrerequisite(item_id=advanced.id, required_skill_id=python.id, required_level=0.4),
        ]
    )
    session.add_all(
        [
            Opening(
                external_id="O1",
                role_id=analyst_role.id,
                opened_on=today - timedelta(100),
                filled_on=today - timedelta(70),
                status="filled",
                fill_source="internal",
                filled_by_id=junior.id,
            ),
            Opening(
                external_id="O2",
                role_id=sales_role.id,
                opened_on=today - timedelta(200),
                filled_on=today - timedelta(110),
                status="filled",
                fill_source="external",
            ),
            Opening(
                external_id="O3",
                role_id=analyst_role.id,
                opened_on=today - timedelta(10),
                status="open",
            ),
            Opening(
                external_id="O4",
                role_id=sales_role.id,
                opened_on=today - timedelta(800),
                filled_on=today - timedelta(700),
                status="filled",
                fill_source="external",
            ),
        ]
    )
    session.flush()
    users = {
        "hr": make_user(session, role="hr_admin", email="hr@example.com"),
        "executive": make_user(session, role="executive", employee=ceo, email="ceo@example.com"),
        "manager": make_user(session, role="manager", employee=manager, email="max@example.com"),
        "employee": make_user(session, role="employee", employee=analyst, email="rui@example.com"),
        "peer": make_user(session, role="employee", employee=peer, email="oli@example.com"),
    }
    for name, user in users.items():
        world.emails[name] = user.email
        world.tokens[name] = identity.create_token(session, email=user.email)
    world.ids.update(
        esco_group=group.id,
        sql=sql.id,
        python=python.id,
        listening=listening.id,
        london=london.id,
        berlin=berlin.id,
        company=company.id,
        sales=sales.id,
        engineering=engineering.id,
        data=data.id,
        analyst_role=analyst_role.id,
        manager_role=manager_role.id,
        sales_role=sales_role.id,
        template=template.id,
        ceo=ceo.id,
        manager=manager.id,
        analyst=analyst.id,
        junior=junior.id,
        peer=peer.id,
        former=former.id,
        basics=basics.id,
        objections=objections.id,
        advanced=advanced.id,
    )
    return world
