"""Mentor proposals: who is eligible, in what order and why (docs/planner.md, Mentorship steps)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from skillpath.core.errors import InvalidInputError, NotFoundError
from skillpath.domains.evidence.models import EmployeeSkill
from skillpath.domains.learning import mentors_repository
from skillpath.domains.learning.mentors import MENTOR_CAPACITY, MentorCandidate, propose_mentors
from skillpath.domains.learning.models import LearningPath, PathStep
from skillpath.domains.people.models import Employee, Location, OrgUnit, Role
from tests.factories import make_employee, make_location, make_role, make_skill, make_unit

DAY = date(2026, 6, 1)
NOW = datetime(2026, 5, 1, tzinfo=UTC)


def set_level(session: Session, employee: Employee, skill_id: int, level: float) -> None:
    """A consolidated profile row written directly (as a rebuild would)."""
    session.add(
        EmployeeSkill(
            employee_id=employee.id,
            skill_id=skill_id,
            level=level,
            confidence=0.6,
            floor=0.0,
            evidence_count=1,
            total_weight=0.5,
            computed_at=NOW,
        )
    )
    session.flush()


def add_mentorship(
    session: Session,
    *,
    mentee: Employee,
    mentor: Employee,
    path_status: str = "active",
    step_status: str = "planned",
) -> None:
    """A path of `mentee` with one mentorship step assigned to `mentor`."""
    path = LearningPath(
        employee_id=mentee.id,
        mode="upskill",
        status=path_status,
        hours_per_week=2.0,
        start_on=date(2026, 5, 1),
    )
    session.add(path)
    session.flush()
    session.add(
        PathStep(
            path_id=path.id,
            position=1,
            title="Mentorship",
            kind="mentorship",
            stage=3,
            minutes=600,
            month=1,
            end_month=2,
            start_on=date(2026, 5, 1),
            end_on=date(2026, 6, 30),
            status=step_status,
            mentor_id=mentor.id,
        )
    )
    session.flush()


@dataclass
class Org:
    """A small company around one mentee; people by name, skill ids by name."""

    people: dict[str, Employee] = field(default_factory=dict)
    skills: dict[str, int] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)

    def id(self, name: str) -> int:
        """The employee id of a person."""
        return self.people[name].id

    def names(self, candidates: list[MentorCandidate]) -> list[str]:
        """The people's names (keys of `people`) of candidates, in order."""
        by_id = {employee.id: key for key, employee in self.people.items()}
        return [by_id[c.employee_id] for c in candidates]


@pytest.fixture
def org(session: Session) -> Org:
    """boss → manager → mentee → report → report_of_report; peers and others around them.

    Skills: Salesforce Administration (SF), Apex, SQL. The mentee works in Lyon (Europe/Paris).
    """
    o = Org()
    o.locations = {
        "Lyon": make_location(session, country="FR", timezone="Europe/Paris"),
        "Paris": make_location(session, country="FR", timezone="Europe/Paris"),
        "London": make_location(session, country="GB", timezone="Europe/London"),
    }
    o.locations["Lyon"].name = "Lyon"
    o.locations["Paris"].name = "Paris"
    o.locations["London"].name = "London"
    sf = make_skill(session, "Salesforce Administration")
    apex = make_skill(session, "Apex")
    sql = make_skill(session, "SQL")
    o.skills = {"sf": sf.id, "apex": apex.id, "sql": sql.id}
    crm = make_unit(session, "CRM Team")
    admin_role = make_role(session, "Salesforce Administrator")
    lyon, paris, london = o.locations["Lyon"], o.locations["Paris"], o.locations["London"]

    def person(
        key: str,
        manager: str | None,
        *,
        location: Location,
        unit: OrgUnit | None = None,
        role: Role | None = None,
        hired_on: date = date(2022, 1, 10),
        left_on: date | None = None,
    ) -> None:
        o.people[key] = make_employee(
            session,
            key.capitalize(),
            "Test",
            manager=o.people[manager] if manager else None,
            location=location,
            unit=unit,
            role=role,
            hired_on=hired_on,
            left_on=left_on,
        )

    person("boss", None, location=lyon)
    person("manager", "boss", location=lyon)
    person("mentee", "manager", location=lyon)
    person("report", "mentee", location=lyon)
    person("subreport", "report", location=lyon)
    # Candidates outside the mentee's line: a peer (same manager), and people elsewhere.
    # Created in an order that ranking must override: eve, cid, bea tie on everything but
    # location (bea: Lyon) and time zone (cid: Paris, same zone as Lyon); dan is in Lyon too but
    # already mentors someone; ana holds more.
    person("dan", "boss", location=lyon)
    person("eve", "boss", location=london)
    person("cid", "boss", location=paris)
    person("bea", "manager", location=lyon)
    person("ana", "boss", location=london, unit=crm, role=admin_role)
    person("low", "boss", location=lyon)
    person("busy", "boss", location=lyon)
    person("gone", "boss", location=lyon, left_on=date(2026, 5, 1))
    person("leaves_today", "boss", location=lyon, left_on=DAY)
    person("future", "boss", location=lyon, hired_on=date(2026, 7, 1))
    person("leaves_later", "boss", location=lyon, left_on=date(2026, 12, 31))
    person("sql_only", "boss", location=lyon)

    levels = {
        # The mentee's own line holds everything at the top: all must be excluded.
        "boss": (1.0, 1.0),
        "manager": (1.0, 1.0),
        "mentee": (1.0, 1.0),
        "report": (1.0, 1.0),
        "subreport": (1.0, 1.0),
        "gone": (1.0, 1.0),
        "leaves_today": (1.0, 1.0),
        "future": (1.0, 1.0),
        "busy": (1.0, 1.0),
        "ana": (1.0, 0.8),
        "bea": (0.8, 0.8),
        "cid": (0.8, 0.8),
        "dan": (0.8, 0.8),
        "eve": (0.8, 0.8),
        "leaves_later": (0.8, 0.6),
        "low": (0.6, 0.6),
    }
    for key, (sf_level, apex_level) in levels.items():
        set_level(session, o.people[key], sf.id, sf_level)
        set_level(session, o.people[key], apex.id, apex_level)
    set_level(session, o.people["sql_only"], sql.id, 1.0)

    # Open places: busy is full; dan mentors one person; closed or finished steps do not count.
    for _ in range(MENTOR_CAPACITY):
        add_mentorship(session, mentee=o.people["low"], mentor=o.people["busy"])
    add_mentorship(session, mentee=o.people["low"], mentor=o.people["dan"], path_status="proposed")
    for path_status in ("draft", "completed", "abandoned"):
        add_mentorship(
            session, mentee=o.people["low"], mentor=o.people["eve"], path_status=path_status
        )
    add_mentorship(session, mentee=o.people["low"], mentor=o.people["eve"], step_status="done")
    add_mentorship(session, mentee=o.people["low"], mentor=o.people["eve"], step_status="skipped")
    return o


def propose(
    session: Session,
    org: Org,
    skills: list[tuple[str, float]],
    *,
    limit: int = 3,
    exclude: tuple[int, ...] = (),
) -> list[MentorCandidate]:
    """Proposals for the mentee on DAY over named skills."""
    return propose_mentors(
        session,
        mentee_id=org.id("mentee"),
        skills=[(org.skills[name], level) for name, level in skills],
        day=DAY,
        limit=limit,
        exclude=exclude,
    )


def test_ranking_covers_every_skill_then_levels_mentees_location_and_time_zone(
    session: Session, org: Org
) -> None:
    found = propose(session, org, [("sf", 0.6), ("apex", 0.6)], limit=10)
    # ana has the highest sum; bea (same location) before cid (same time zone) before eve
    # (neither); dan mentors one person already; leaves_later covers one skill only.
    assert org.names(found) == ["ana", "bea", "cid", "eve", "dan", "leaves_later"]
    assert [c.coverage for c in found] == [2, 2, 2, 2, 2, 1]
    assert [c.open_mentees for c in found] == [0, 0, 0, 0, 1, 0]
    assert [c.same_location for c in found[:4]] == [False, True, False, False]
    assert [c.same_timezone for c in found[:4]] == [False, True, True, False]


def test_limit_returns_the_best_first(session: Session, org: Org) -> None:
    found = propose(session, org, [("sf", 0.6), ("apex", 0.6)])
    assert org.names(found) == ["ana", "bea", "cid"]
    assert org.names(propose(session, org, [("sf", 0.6)], limit=1)) == ["ana"]


def test_exclude_leaves_people_out(session: Session, org: Org) -> None:
    found = propose(
        session, org, [("sf", 0.6), ("apex", 0.6)], exclude=(org.id("ana"), org.id("cid"))
    )
    assert org.names(found) == ["bea", "eve", "dan"]


def test_reporting_line_leavers_newcomers_full_mentors_and_low_levels_are_excluded(
    session: Session, org: Org
) -> None:
    found = set(org.names(propose(session, org, [("sf", 0.6), ("apex", 0.6)], limit=50)))
    for excluded in (
        "mentee",
        "manager",  # direct manager
        "boss",  # manager's manager
        "report",  # direct report
        "subreport",  # indirect report
        "gone",  # left before the day
        "leaves_today",  # leaves on the day
        "future",  # not hired yet
        "busy",  # MENTOR_CAPACITY open mentorship steps
        "low",  # below Advanced
    ):
        assert excluded not in found, excluded
    assert "leaves_later" in found
    assert "bea" in found  # a peer with the same manager is not in the reporting line


def test_the_same_people_are_eligible_on_a_day_before_the_leaver_left(
    session: Session, org: Org
) -> None:
    found = propose_mentors(
        session,
        mentee_id=org.id("mentee"),
        skills=[(org.skills["sf"], 0.6)],
        day=date(2026, 4, 30),
        limit=50,
    )
    assert "gone" in org.names(found)
    assert "future" not in org.names(found)


def test_a_step_teaching_more_than_advanced_raises_the_bar(session: Session, org: Org) -> None:
    found = propose(session, org, [("sf", 0.9), ("apex", 0.6)], limit=10)
    # Only ana holds SF at 0.9 or more; the others still cover Apex.
    assert org.names(found)[0] == "ana"
    assert found[0].coverage == 2
    assert all(c.coverage == 1 for c in found[1:])
    assert all(c.missing_skill_ids == (org.skills["sf"],) for c in found[1:])


def test_advanced_qualifies_up_to_rounding(session: Session, org: Org) -> None:
    rounded = make_employee(session, "Rounded", location=org.locations["Lyon"])
    org.people["rounded"] = rounded
    set_level(session, rounded, org.skills["sql"], 0.8 - 1e-12)
    found = propose(session, org, [("sql", 0.8)], limit=10)
    assert org.names(found) == ["sql_only", "rounded"]
    assert found[1].skills[0].display_level == 4
    set_level(session, org.people["bea"], org.skills["sql"], 0.8 - 1e-6)
    assert "bea" not in org.names(propose(session, org, [("sql", 0.8)], limit=10))


def test_partial_coverage_when_nobody_holds_every_skill(session: Session, org: Org) -> None:
    found = propose(session, org, [("sf", 0.6), ("apex", 0.6), ("sql", 0.6)], limit=10)
    assert org.names(found) == ["ana", "bea", "cid", "eve", "dan", "sql_only", "leaves_later"]
    assert [c.coverage for c in found] == [2, 2, 2, 2, 2, 1, 1]
    bea = found[1]
    assert bea.missing_skill_ids == (org.skills["sql"],)
    assert "Covers 2 of 3 skills" in bea.reasons
    assert "Does not hold SQL at Advanced or above" in bea.reasons
    sql_only = found[5]
    assert [s.skill_name for s in sql_only.skills] == ["SQL"]


def test_reasons_details_and_levels(session: Session, org: Org) -> None:
    ana, bea, cid = propose(session, org, [("sf", 0.6), ("apex", 0.6)])
    assert ana.reasons == (
        "Holds Salesforce Administration at Expert (5/5)",
        "Holds Apex at Advanced (4/5)",
        "Not in your reporting line",
        "Mentoring 0 of 3 people",
    )
    assert bea.reasons[-1] == "Same location: Lyon"
    assert cid.reasons[-1] == "Same time zone: Europe/Paris"
    assert [r.code for r in ana.reason_codes] == [
        "holds_skill",
        "holds_skill",
        "outside_reporting_line",
        "mentoring",
    ]
    assert ana.reason_codes[0].params["skill"] == "Salesforce Administration"
    assert ana.reason_codes[0].params["level"] == 5
    assert ana.name == "Ana Test"
    assert ana.role_title == "Salesforce Administrator"
    assert ana.unit_name == "CRM Team"
    assert ana.location_name == "London"
    assert ana.capacity == MENTOR_CAPACITY
    assert [(s.skill_id, s.level, s.display_level, s.label) for s in ana.skills] == [
        (org.skills["sf"], 1.0, 5, "Expert"),
        (org.skills["apex"], 0.8, 4, "Advanced"),
    ]


def test_open_mentees_are_counted_in_the_reasons(session: Session, org: Org) -> None:
    found = propose(session, org, [("sf", 0.6), ("apex", 0.6)], limit=10)
    dan = found[org.names(found).index("dan")]
    assert dan.open_mentees == 1
    assert "Mentoring 1 of 3 people" in dan.reasons
    eve = found[org.names(found).index("eve")]
    assert eve.open_mentees == 0  # draft, finished and abandoned paths, done steps: not open


def test_more_skills_covered_beats_higher_levels(session: Session, org: Org) -> None:
    many = [make_skill(session, f"Skill {k}").id for k in range(6)]
    five_at_expert = make_employee(session, "Five", location=org.locations["Lyon"])
    six_at_advanced = make_employee(session, "Six", location=org.locations["London"])
    for skill_id in many[:5]:
        set_level(session, five_at_expert, skill_id, 1.0)
    for skill_id in many:
        set_level(session, six_at_advanced, skill_id, 0.8)
    found = propose_mentors(
        session, mentee_id=org.id("mentee"), skills=[(s, 0.5) for s in many], day=DAY
    )
    assert [c.employee_id for c in found] == [six_at_advanced.id, five_at_expert.id]
    assert (found[0].coverage, found[1].coverage) == (6, 5)
    assert found[0].level_sum < found[1].level_sum


def test_nobody_qualifies(session: Session, org: Org) -> None:
    assert propose(session, org, [("sql", 0.6)], exclude=(org.id("sql_only"),)) == []


def test_bad_input_is_refused_clearly(session: Session, org: Org) -> None:
    with pytest.raises(InvalidInputError, match="mentorship skills"):
        propose(session, org, [])
    with pytest.raises(InvalidInputError) as raised:
        propose(session, org, [("sf", 1.5)])
    assert "between 0 and 1" in raised.value.describe()
    with pytest.raises(InvalidInputError) as raised:
        propose_mentors(session, mentee_id=org.id("mentee"), skills=[(987654321, 0.5)], day=DAY)
    assert "no such skill" in raised.value.describe()
    with pytest.raises(InvalidInputError, match="number of mentors"):
        propose(session, org, [("sf", 0.6)], limit=0)
    with pytest.raises(NotFoundError):
        propose_mentors(session, mentee_id=987654321, skills=[(org.skills["sf"], 0.5)], day=DAY)


def test_mentee_counts_are_the_same_when_asked_in_chunks(
    session: Session, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = propose(session, org, [("sf", 0.6), ("apex", 0.6)], limit=10)
    monkeypatch.setattr(mentors_repository, "ID_CHUNK", 2)
    chunked = propose(session, org, [("sf", 0.6), ("apex", 0.6)], limit=10)
    assert chunked == expected
    assert "busy" not in org.names(chunked)
