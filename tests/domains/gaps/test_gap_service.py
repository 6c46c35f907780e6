"""The gap service on a real database: person, team, unit, location and org figures against the
reference loop, snapshots (current, replaced, invalidated, history), visibility and bad input."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillpath.core.errors import ForbiddenError, InvalidInputError, NotFoundError
from skillpath.domains.evidence.models import EmployeeSkill
from skillpath.domains.gaps import repository, service
from skillpath.domains.gaps.engine.reference import reference_rollup
from skillpath.domains.gaps.models import GapSnapshot, GapSnapshotLine
from skillpath.domains.gaps.repository import Population
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.people.models import (
    Employee,
    EngagementScore,
    Move,
    Opening,
    OrgUnit,
    PerformanceRating,
    PriorityRole,
    PrioritySkill,
    RoleSkill,
    StrategicPriority,
)
from tests.factories import (
    make_employee,
    make_evidence,
    make_item,
    make_location,
    make_role,
    make_skill,
    make_unit,
)

TODAY = date(2025, 6, 30)
NOW = datetime(2025, 6, 30, 18, 0, tzinfo=UTC)
HR = Viewer(user_id=0, email="hr@example.com", role="hr_admin", employee_id=None)


@pytest.fixture(autouse=True)
def store_every_unit(monkeypatch: pytest.MonkeyPatch) -> None:
    """These organisations are tiny: let snapshots store every unit (the threshold has its own
    test)."""
    monkeypatch.setattr(service, "SNAPSHOT_MIN_PEOPLE", 1)
    monkeypatch.setattr(service, "SNAPSHOT_LENS_MIN_PEOPLE", 1)


def viewer_for(employee: Employee, role: str = "employee") -> Viewer:
    """A viewer who is this employee."""
    return Viewer(user_id=employee.id, email="x@example.com", role=role, employee_id=employee.id)


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


@dataclass
class Org:
    """A small known company; levels in `levels`, people by name."""

    people: dict[str, Employee] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def org(session: Session) -> Org:
    """Two analysts and a manager in Data/BI, a seller in Sales, a boss at the top, a leaver;
    an active priority "Growth" (SQL × 2, Data Analyst × 1.5) and an inactive one."""
    o = Org()
    sql = make_skill(session, "SQL")
    python = make_skill(session, "Python")
    listening = make_skill(session, "Active listening")
    excel = make_skill(session, "Excel")
    london = make_location(session)
    berlin = make_location(session, country="DE", timezone="Europe/Berlin")
    root = make_unit(session, "Co")
    sales = make_unit(session, "Sales", parent=root)
    data = make_unit(session, "Data", parent=root)
    bi = make_unit(session, "BI", parent=data)
    analyst = make_role(session, "Data Analyst", skills=[(sql, 0.6, 0.9), (python, 0.4, 0.5)])
    senior = make_role(
        session, "Senior Analyst", skills=[(sql, 0.8, 1.0), (python, 0.6, 0.8), (excel, 0.6, 0.5)]
    )
    seller = make_role(session, "Seller", skills=[(listening, 0.8, 0.8), (excel, 0.4, 0.5)])
    boss_role = make_role(session, "Boss")
    boss = make_employee(session, "Bea", "Boss", unit=root, role=boss_role, location=london)
    manager = make_employee(
        session, "Max", "Manager", manager=boss, unit=data, role=senior, location=berlin
    )
    a1 = make_employee(
        session, "Ann", "One", manager=manager, unit=bi, role=analyst, location=berlin
    )
    a2 = make_employee(
        session, "Abe", "Two", manager=manager, unit=bi, role=analyst, location=london
    )
    s1 = make_employee(
        session, "Sam", "Seller", manager=boss, unit=sales, role=seller, location=london
    )
    gone = make_employee(
        session, "Gus", "Gone", manager=manager, unit=bi, role=analyst, left_on=TODAY - timedelta(1)
    )
    for person, skill, level in [
        (a1, sql, 0.7),
        (a1, python, 0.2),
        (a2, sql, 0.4),
        (s1, listening, 0.9),
        (s1, excel, 0.2),
        (manager, sql, 0.9),
        (manager, python, 0.7),
        (gone, sql, 0.1),
    ]:
        set_level(session, person, skill.id, level)
    growth = StrategicPriority(name="Growth", active=True)
    old = StrategicPriority(name="Old plan", active=False)
    session.add_all([growth, old])
    session.flush()
    session.add_all(
        [
            PrioritySkill(priority_id=growth.id, skill_id=sql.id, weight=2.0),
            PriorityRole(priority_id=growth.id, role_id=analyst.id, weight=1.5, headcount_needed=2),
            PrioritySkill(priority_id=old.id, skill_id=excel.id, weight=3.0),
        ]
    )
    session.flush()
    o.people.update(boss=boss, manager=manager, a1=a1, a2=a2, s1=s1, gone=gone)
    o.ids.update(
        sql=sql.id, python=python.id, listening=listening.id, excel=excel.id, root=root.id,
        sales=sales.id, data=data.id, bi=bi.id, london=london.id, berlin=berlin.id,
        analyst=analyst.id, senior=senior.id, seller=seller.id,
    )  # fmt: skip
    return o


def test_person_gaps_against_the_current_and_a_target_role(session: Session, org: Org) -> None:
    ann = org.people["a1"]
    mine = service.person_gaps(session, viewer=viewer_for(ann), employee_id=ann.id, today=TODAY)
    assert mine.against == "current_role"
    assert mine.role is not None
    assert mine.role.title == "Data Analyst"
    assert mine.lens.priorities == ["Growth"]
    by_skill = {line.skill.name: line for line in mine.skills}
    assert set(by_skill) == {"SQL", "Python"}
    assert by_skill["SQL"].met
    assert by_skill["SQL"].shortfall == 0
    python = by_skill["Python"]
    assert python.shortfall == pytest.approx(0.2)
    # Python is not prioritised, the Data Analyst role is (× 1.5).
    assert python.priority_weight == pytest.approx(1.5)
    assert python.weighted_gap == pytest.approx(0.2 * 0.5 * 1.5)
    assert python.current_display_level == 1
    assert python.target_display_level == 2
    assert mine.skills[0].skill.name == "Python"  # the largest weighted gap first
    assert mine.readiness == pytest.approx((0.6 * 0.9 + 0.2 * 0.5) / (0.6 * 0.9 + 0.4 * 0.5))
    assert (mine.skills_met, mine.skills_required) == (1, 2)

    aimed = service.person_gaps(
        session,
        viewer=viewer_for(ann),
        employee_id=ann.id,
        target_role_id=org.ids["senior"],
        priority="growth",  # names are matched without regard to case
        today=TODAY,
    )
    assert aimed.against == "target_role"
    assert aimed.role is not None
    assert aimed.role.title == "Senior Analyst"
    lines = {line.skill.name: line for line in aimed.skills}
    assert lines["SQL"].shortfall == pytest.approx(0.1)
    assert lines["SQL"].weighted_gap == pytest.approx(0.1 * 1.0 * 2.0)  # SQL × 2, role × 1
    assert lines["Excel"].confidence is None
    assert lines["Excel"].current_level == 0
    assert lines["Excel"].shortfall == pytest.approx(0.6)


def test_person_gaps_follow_visibility_and_refuse_unknown_input(session: Session, org: Org) -> None:
    ann, sam, manager = org.people["a1"], org.people["s1"], org.people["manager"]
    with pytest.raises(NotFoundError):
        service.person_gaps(session, viewer=viewer_for(sam), employee_id=ann.id, today=TODAY)
    seen = service.person_gaps(
        session, viewer=viewer_for(manager, "manager"), employee_id=ann.id, today=TODAY
    )
    assert seen.employee.id == ann.id
    with pytest.raises(NotFoundError):
        service.person_gaps(
            session, viewer=viewer_for(manager, "manager"), employee_id=sam.id, today=TODAY
        )
    with pytest.raises(NotFoundError, match="role"):
        service.person_gaps(session, viewer=HR, employee_id=ann.id, target_role_id=99_999)
    with pytest.raises(NotFoundError, match="No strategic priority named 'Nope'"):
        service.person_gaps(session, viewer=HR, employee_id=ann.id, priority="Nope")


def _reference(
    session: Session, population: Population, lens: service.Lens
) -> dict[int, tuple[int, int, int, float]]:
    """skill id → (demand, met, supply, impact) by the plain loop over ORM-free rows."""
    people = repository.workforce(session, population)
    requirements: dict[int, list[tuple[int, float, float]]] = defaultdict(list)
    for role, skill, target, importance in session.execute(
        select(RoleSkill.role_id, RoleSkill.skill_id, RoleSkill.target_level, RoleSkill.importance)
    ):
        requirements[role].append((skill, target, importance))
    levels = {
        (e, s): lv
        for e, s, lv in session.execute(
            select(EmployeeSkill.employee_id, EmployeeSkill.skill_id, EmployeeSkill.level)
        )
    }
    width = 1 + max(
        [1]
        + [s for items in requirements.values() for s, _t, _i in items]
        + [s for _e, s in levels]
    )
    roles_width = 1 + max([1, *requirements, *people.role.tolist()])
    skill_weight = [lens.skill_weights.get(s, 1.0) for s in range(width)]
    role_weight = [lens.role_weights.get(r, 1.0) for r in range(roles_width)]
    ids = people.employee.tolist()
    result = reference_rollup(
        [int(r) for r in people.role.tolist()],
        requirements,
        {(ids.index(e), s): lv for (e, s), lv in levels.items() if e in ids},
        skill_weight,
        role_weight,
        {0: list(range(len(ids)))},
    )
    return {
        skill: (line.demand, line.met, line.supply, line.impact)
        for (_group, skill), line in result.items()
    }


def _figures(items: list[object]) -> dict[int, tuple[int, int, int, float]]:
    return {
        i.skill.id: (i.demand, i.met, i.supply, i.impact)  # type: ignore[attr-defined]
        for i in items
    }


def _assert_same(
    found: dict[int, tuple[int, int, int, float]], expected: dict[int, tuple[int, int, int, float]]
) -> None:
    assert set(found) == set(expected)
    for skill, (demand, met, supply, impact) in expected.items():
        assert found[skill][:3] == (demand, met, supply), skill
        assert found[skill][3] == pytest.approx(impact), skill


@pytest.mark.parametrize("priority", [None, "Growth"])
def test_critical_gaps_live_and_from_a_snapshot_equal_the_reference(
    session: Session, org: Org, priority: str | None
) -> None:
    lens = service.resolve_lens(session, priority)
    for unit in (None, org.ids["data"], org.ids["sales"]):
        population = Population(day=TODAY, unit_id=unit)
        live = service.critical_gaps(
            session, viewer=HR, priority=priority, unit_id=unit, limit=50, today=TODAY
        )
        assert live.basis == "live"
        _assert_same(_figures(live.items), _reference(session, population, lens))
        impacts = [line.impact for line in live.items]
        assert impacts == sorted(impacts, reverse=True)
    taken = service.take_gap_snapshot(session, NOW)
    assert taken.current
    assert taken.as_of == TODAY
    for unit in (None, org.ids["data"], org.ids["bi"]):
        stored = service.critical_gaps(
            session, viewer=HR, priority=priority, unit_id=unit, limit=50, today=TODAY
        )
        assert stored.basis == "snapshot"
        live_again = service.critical_gaps(
            session,
            viewer=HR,
            priority=priority,
            unit_id=unit,
            location_id=None,
            limit=50,
            today=TODAY + timedelta(days=0),
        )
        assert stored.items == live_again.items
        _assert_same(
            _figures(stored.items), _reference(session, Population(day=TODAY, unit_id=unit), lens)
        )
    # The org snapshot counts the five people employed today (the leaver is out).
    whole = service.critical_gaps(session, viewer=HR, priority=priority, today=TODAY)
    assert whole.people == 5


def test_location_filter_and_single_points_of_failure(session: Session, org: Org) -> None:
    berlin = service.critical_gaps(
        session, viewer=HR, location_id=org.ids["berlin"], limit=10, today=TODAY
    )
    assert berlin.location is not None
    assert berlin.people == 2
    _assert_same(
        _figures(berlin.items),
        _reference(
            session,
            Population(day=TODAY, location_id=org.ids["berlin"]),
            service.resolve_lens(session, None),
        ),
    )
    whole = {
        line.skill.name: line
        for line in service.critical_gaps(session, viewer=HR, today=TODAY).items
    }
    # Active listening: one seller needs it and holds it → supply 1, a single point of failure.
    assert whole["Active listening"].supply == 1
    assert whole["Active listening"].single_point_of_failure
    # SQL's reference level is the senior target (0.8): Ann meets her 0.6 target (met 2 of 3)
    # but only Max holds 0.8, so the bench is one person deep.
    assert (whole["SQL"].met, whole["SQL"].demand, whole["SQL"].supply) == (2, 3, 1)
    assert whole["SQL"].reference_level == pytest.approx(0.8)
    assert whole["SQL"].single_point_of_failure


def test_org_views_are_for_hr_and_executives_only(session: Session, org: Org) -> None:
    manager = viewer_for(org.people["manager"], "manager")
    executive = viewer_for(org.people["boss"], "executive")
    for call in (
        lambda v: service.critical_gaps(session, viewer=v, today=TODAY),
        lambda v: service.org_heatmap(session, viewer=v, today=TODAY),
        lambda v: service.gap_trend(session, viewer=v),
        lambda v: service.list_snapshots(session, viewer=v),
    ):
        with pytest.raises(ForbiddenError):
            call(manager)
        call(executive)


def test_bad_filters_are_clear_errors(session: Session, org: Org) -> None:
    with pytest.raises(NotFoundError, match="org unit"):
        service.critical_gaps(session, viewer=HR, unit_id=99_999)
    with pytest.raises(NotFoundError, match="location"):
        service.critical_gaps(session, viewer=HR, location_id=99_999)
    with pytest.raises(NotFoundError, match=r"known: Growth\)"):
        service.critical_gaps(session, viewer=HR, priority="Unknown")
    with pytest.raises(InvalidInputError):
        service.critical_gaps(session, viewer=HR, limit=0)
    with pytest.raises(InvalidInputError):
        service.org_heatmap(session, viewer=HR, skills=1000)


def test_heatmap_rows_are_sub_units_and_cells_match_each_unit(session: Session, org: Org) -> None:
    live = service.org_heatmap(session, viewer=HR, skills=10, today=TODAY)
    # A single root: the rows are its sub-units.
    assert [row.unit.name for row in live.units] == ["Data", "Sales"]
    service.take_gap_snapshot(session, NOW)
    stored = service.org_heatmap(session, viewer=HR, skills=10, today=TODAY)
    assert stored.basis == "snapshot"
    assert live.basis == "live"
    assert stored.skills == live.skills
    assert stored.units == live.units
    lens = service.resolve_lens(session, None)
    for row in stored.units:
        expected = _reference(session, Population(day=TODAY, unit_id=row.unit.id), lens)
        for skill, cell in zip(stored.skills, row.cells, strict=True):
            if cell is None:
                assert skill.id not in expected
            else:
                assert (cell.demand, cell.met, cell.supply) == expected[skill.id][:3]
    inner = service.org_heatmap(session, viewer=HR, unit_id=org.ids["data"], today=TODAY)
    assert [row.unit.name for row in inner.units] == ["BI"]


def test_team_gaps_matrix_and_rollup(session: Session, org: Org) -> None:
    manager = org.people["manager"]
    team = service.team_gaps(
        session, viewer=viewer_for(manager, "manager"), manager_id=manager.id, today=TODAY
    )
    assert team.people == 2  # the leaver is not in the team any more
    _assert_same(
        _figures(team.skills),
        _reference(
            session,
            Population(day=TODAY, manager_id=manager.id),
            service.resolve_lens(session, None),
        ),
    )
    assert [m.person.name for m in team.members] == ["Abe Two", "Ann One"]  # larger gap first
    column = {s.name: n for n, s in enumerate(team.matrix_skills)}
    abe = team.members[0]
    sql = abe.cells[column["SQL"]]
    assert sql is not None
    assert sql.target_display_level == 3
    assert sql.shortfall == pytest.approx(0.2)
    python = abe.cells[column["Python"]]
    assert python is not None
    assert python.current_display_level == 0
    with pytest.raises(NotFoundError):
        service.team_gaps(session, viewer=viewer_for(org.people["a1"]), manager_id=manager.id)
    boss_view = service.team_gaps(session, viewer=HR, manager_id=org.people["boss"].id, today=TODAY)
    assert boss_view.people == 4


def test_snapshot_is_replaced_within_a_month_and_goes_stale_when_inputs_change(
    session: Session, org: Org
) -> None:
    first = service.take_gap_snapshot(session, NOW - timedelta(days=3))
    second = service.take_gap_snapshot(session, NOW)
    assert (first.as_of, second.as_of) == (TODAY - timedelta(days=3), TODAY)
    assert first.employees == 6
    assert second.employees == 5
    assert session.scalar(select(func.count()).select_from(GapSnapshot)) == 1
    lines = session.scalar(select(func.count()).select_from(GapSnapshotLine))
    assert lines == second.lines > 0
    # Org + 4 units × 2 lenses (combined, Growth): every line has a known population and lens.
    lenses = set(session.scalars(select(GapSnapshotLine.priority_id).distinct()))
    assert len(lenses) == 2
    assert None in lenses
    assert service.current_snapshot(session, TODAY) is not None
    # A role profile changes: the snapshot no longer answers for today.
    session.add(RoleSkill(role_id=org.ids["seller"], skill_id=org.ids["sql"], target_level=0.2))
    session.flush()
    assert service.current_snapshot(session, TODAY) is None
    assert service.critical_gaps(session, viewer=HR, today=TODAY).basis == "live"
    listed = service.list_snapshots(session, viewer=HR, today=TODAY)
    assert [s.current for s in listed] == [False]


def test_history_snapshots_use_what_was_known_then(session: Session, org: Org) -> None:
    ann, abe = org.people["a1"], org.people["a2"]
    sql = org.ids["sql"]
    sql_skill_evidence_day = datetime(2025, 3, 10, 12, tzinfo=UTC)
    from skillpath.domains.taxonomy.models import Skill

    skill = session.get(Skill, sql)
    assert skill is not None
    make_evidence(session, ann, skill, level=0.8, source="assessment", confidence=1.0,
                  observed_at=sql_skill_evidence_day)  # fmt: skip
    make_evidence(session, abe, skill, level=0.8, source="assessment", confidence=1.0,
                  observed_at=datetime(2025, 6, 1, tzinfo=UTC))  # fmt: skip
    # Abe was a seller until May (a move into the analyst role).
    session.add(
        Move(
            employee_id=abe.id,
            moved_on=date(2025, 5, 15),
            kind="reskill",
            from_role_id=org.ids["seller"],
            to_role_id=org.ids["analyst"],
            from_unit_id=org.ids["sales"],
            to_unit_id=org.ids["bi"],
        )
    )
    session.flush()
    april = repository.workforce_on(session, date(2025, 4, 30))
    position = april.employee.tolist().index(abe.id)
    assert april.role[position] == org.ids["seller"]
    assert april.unit[position] == org.ids["sales"]
    taken = service.take_history_snapshots(session, now=NOW, months=3)
    assert [s.as_of for s in taken] == [date(2025, 3, 31), date(2025, 4, 30), date(2025, 5, 31)]
    assert all(s.basis == "evidence" and not s.current for s in taken)
    service.take_gap_snapshot(session, NOW)
    trend = service.gap_trend(session, viewer=HR, skills=3)
    assert [p.as_of for p in trend.points] == [
        date(2025, 3, 31), date(2025, 4, 30), date(2025, 5, 31), TODAY,
    ]  # fmt: skip
    by_skill = {s.skill.name: s for s in trend.skills}
    sql_points = {p.as_of: p for p in by_skill["SQL"].points}
    # End of April the analysts were Ann and Gus (Abe still sold), plus Max, the senior; only
    # Ann's March assessment was known then. Today's profiles: Ann and Max of three.
    assert sql_points[date(2025, 4, 30)].coverage == pytest.approx(1 / 3)
    assert sql_points[TODAY].coverage == pytest.approx(2 / 3)
    # In March Ann is already assessed; the leaver Gus still counts (he left yesterday).
    march = service.levels_as_of(session, datetime(2025, 3, 31, 23, 59, tzinfo=UTC))
    assert abe.id not in march.employee.tolist()
    assert ann.id in march.employee.tolist()


def test_manager_brief_lines_up_gaps_performance_engagement_and_openings(
    session: Session, org: Org
) -> None:
    manager, ann, abe = org.people["manager"], org.people["a1"], org.people["a2"]
    skill_ids = org.ids
    from skillpath.domains.taxonomy.models import Skill

    sql = session.get(Skill, skill_ids["sql"])
    python = session.get(Skill, skill_ids["python"])
    assert sql is not None
    assert python is not None
    course = make_item(session, "SQL for analysts", minutes=90, teaches=[(sql, 0.6)])
    make_item(session, "SQL taster", minutes=10, teaches=[(sql, 0.2)])
    day = date(2025, 5, 1)
    session.add_all(
        [
            PerformanceRating(
                employee_id=ann.id, period_end=date(2024, 12, 31), performance=4, potential=2
            ),
            PerformanceRating(
                employee_id=abe.id, period_end=date(2024, 12, 31), performance=2, potential=1
            ),
            EngagementScore(employee_id=ann.id, observed_on=day, score=0.4),
            EngagementScore(employee_id=abe.id, observed_on=day, score=0.5),
            EngagementScore(employee_id=org.people["s1"].id, observed_on=day, score=0.9),
            Opening(
                external_id="OPEN-1",
                role_id=skill_ids["analyst"],
                opened_on=date(2025, 6, 1),
                status="open",
                hiring_manager_id=manager.id,
            ),
        ]
    )
    session.flush()
    brief = service.manager_brief(
        session, viewer=viewer_for(manager, "manager"), manager_id=manager.id, today=TODAY
    )
    assert brief.people == 2
    assert brief.direct == 2
    assert brief.gaps[0].skill.name == "SQL"
    assert brief.performance_mean == pytest.approx(3.0)
    assert brief.performance_of_larger_gaps == 2
    assert brief.performance_of_smaller_gaps == 4
    assert brief.engagement_mean == pytest.approx(0.45)
    assert brief.org_engagement_mean == pytest.approx((0.4 + 0.5 + 0.9) / 3)
    assert [o.external_id for o in brief.openings] == ["OPEN-1"]
    assert [s.name for s in brief.openings[0].gap_skills] == ["SQL", "Python"]
    kinds = [a.kind for a in brief.actions]
    # SQL: Ann holds it at the reference level (0.6) and Abe is short: coach + the course that
    # reaches the target (not the shorter taster).
    assert kinds[:2] == ["cross_train", "learn"]
    assert brief.actions[1].item is not None
    assert brief.actions[1].item.id == course.id
    assert "screen" in kinds
    assert "engagement" in kinds
    with pytest.raises(NotFoundError):
        service.manager_brief(session, viewer=viewer_for(org.people["s1"]), manager_id=manager.id)


def test_random_organisation_matches_the_reference_everywhere(session: Session) -> None:
    """Forty people in a three-level tree, random profiles: every unit's snapshot lines equal
    the reference loop's figures."""
    rng = random.Random(11)
    skills = [make_skill(session, f"Skill {n}") for n in range(8)]
    root = make_unit(session, "Root")
    units = [root]
    for n in range(6):
        units.append(make_unit(session, f"U{n}", parent=rng.choice(units)))
    roles = [
        make_role(
            session,
            f"R{n}",
            skills=[(s, rng.choice([0.2, 0.4, 0.6, 0.8]), rng.choice([0.25, 0.5, 1.0]))
                    for s in rng.sample(skills, rng.randint(1, 4))],
        )
        for n in range(4)
    ]  # fmt: skip
    people = []
    for n in range(40):
        person = make_employee(
            session, f"P{n}", unit=rng.choice(units), role=rng.choice([*roles, None])
        )
        people.append(person)
        for skill in rng.sample(skills, rng.randint(0, 5)):
            set_level(session, person, skill.id, rng.choice([0.0, 0.2, 0.4, 0.6, 0.8, 1.0]))
    priority = StrategicPriority(name="Focus", active=True)
    session.add(priority)
    session.flush()
    session.add(PrioritySkill(priority_id=priority.id, skill_id=skills[0].id, weight=2.5))
    session.add(PriorityRole(priority_id=priority.id, role_id=roles[1].id, weight=1.25))
    session.flush()
    service.take_gap_snapshot(session, NOW)
    for lens_name in (None, "Focus"):
        lens = service.resolve_lens(session, lens_name)
        for unit in [None, *[u.id for u in units]]:
            found = service.critical_gaps(
                session, viewer=HR, priority=lens_name, unit_id=unit, limit=500, today=TODAY
            )
            assert found.basis == "snapshot"
            _assert_same(
                _figures(found.items),
                _reference(session, Population(day=TODAY, unit_id=unit), lens),
            )
    assert session.get(OrgUnit, root.id) is not None


def test_all_levels_reads_every_level_back_bit_for_bit(session: Session) -> None:
    """The fast reader (CSV from the database) must not round levels: a level equal to a target
    has to compare equal, so every stored double comes back exactly."""
    rng = random.Random(3)
    people = [make_employee(session, f"L{n}") for n in range(30)]
    skills = [make_skill(session) for _ in range(20)]
    written = {}
    for person in people:
        for skill in rng.sample(skills, 8):
            level = rng.choice([0.6, 0.1 + 0.2, 1 / 3, rng.random()])
            set_level(session, person, skill.id, level)
            written[(person.id, skill.id)] = level
    read = repository.all_levels(session)
    found = {
        (int(e), int(s)): float(v)
        for e, s, v in zip(read.employee, read.skill, read.level, strict=True)
    }
    assert found == written


def test_small_units_are_not_stored_but_computed_live(
    session: Session, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "SNAPSHOT_MIN_PEOPLE", 2)
    monkeypatch.setattr(service, "SNAPSHOT_LENS_MIN_PEOPLE", 3)
    service.take_gap_snapshot(session, NOW)
    snapshot = service.current_snapshot(session, TODAY)
    assert snapshot is not None
    stored = repository.stored_units(
        session, snapshot.id, [org.ids[name] for name in ("root", "sales", "data", "bi")]
    )
    # Sales holds one person: not stored; Data (Max, Ann, Abe), BI (Ann, Abe) and Co are.
    assert stored == {org.ids["root"]: 5, org.ids["data"]: 3, org.ids["bi"]: 2}
    small = service.critical_gaps(session, viewer=HR, unit_id=org.ids["sales"], today=TODAY)
    big = service.critical_gaps(session, viewer=HR, unit_id=org.ids["data"], today=TODAY)
    assert (small.basis, big.basis) == ("live", "snapshot")
    assert small.people == 1
    assert big.people == 3
    # The top-level heatmap has Sales as a row: computed live, same figures as before.
    assert service.org_heatmap(session, viewer=HR, today=TODAY).basis == "live"
    assert service.org_heatmap(session, viewer=HR, unit_id=org.ids["data"], today=TODAY).basis == (
        "snapshot"
    )
    # Priority lenses are stored for units of at least three people only (Co and Data).
    assert repository.stored_units(
        session, snapshot.id, [org.ids["data"], org.ids["bi"]], every_lens=True
    ) == {org.ids["data"]: 3}
    weighted = service.critical_gaps(
        session, viewer=HR, priority="Growth", unit_id=org.ids["bi"], today=TODAY
    )
    assert weighted.basis == "live"
    assert (
        service.critical_gaps(
            session, viewer=HR, priority="Growth", unit_id=org.ids["data"], today=TODAY
        ).basis
        == "snapshot"
    )
