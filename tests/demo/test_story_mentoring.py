"""Story 6 (PRODUCT.md): senior developers mentor juniors and are reverse-mentored by them on
emerging technologies.

The tech demo is built (small), its mentoring programs are set up and matched through the
mentoring service by the demo generator, and the matches are read through the public API. The
test checks that every match runs in the intended direction on the measured profiles: in the
senior→junior program the mentor has the higher role level and holds the match's skills above
the mentee; in the reverse program the mentor is the junior and holds the emerging skills above
the senior. No mentor is over capacity and no pair lies in one reporting line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from skillpath.config import Settings
from skillpath.db.session import make_engine, make_session_factory, transaction
from skillpath.demo.build import DemoSummary, build_company
from skillpath.demo.scenarios import SCENARIOS
from skillpath.domains.evidence.models import EmployeeSkill
from skillpath.domains.identity import service as identity
from skillpath.domains.mentoring.models import CheckIn, Enrolment, MentoringProgram
from skillpath.domains.people import repository as people_repository
from skillpath.domains.people.models import Employee, Role
from skillpath.domains.taxonomy.models import Skill
from skillpath.web.app import create_app
from tests.web.conftest import bearer, migrated_database

AS_OF = date(2025, 6, 30)
SENIORS_MENTOR = "Senior developers mentor juniors"
REVERSE = "Reverse mentoring on emerging technologies"
LIVE = ("proposed", "accepted", "active")


@dataclass(frozen=True)
class Built:
    """What the tests read: the API's programs and matches, and the facts to check them on."""

    summary: DemoSummary
    programs: dict[str, dict[str, Any]]
    matches: dict[str, list[dict[str, Any]]]
    role_level: dict[int, int]
    family: dict[int, str]
    levels: dict[tuple[int, int], float]
    chains: dict[int, set[int]]
    capacity: dict[tuple[int, int], int]
    statuses: dict[int, Counter[str]]
    checkin_ratings: list[int]
    emerging_ids: set[int]
    employee_id: int
    employee_matches: list[dict[str, Any]]
    manager_programs: list[dict[str, Any]]


def _api(url: str, token: str, path: str) -> Any:
    app = create_app(Settings(database_url=url, secret_key="story-6"))
    try:
        with TestClient(app) as client:
            response = client.get(path, headers=bearer(token))
            assert response.status_code == 200, response.text
            return response.json()
    finally:
        app.state.engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def tech(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Built]:
    """A small tech demo (one build per backend), read through the API and the database."""
    for url in migrated_database(request.param, tmp_path_factory):
        engine = make_engine(url)
        factory = make_session_factory(engine)
        with transaction(factory) as session:
            summary = build_company(session, scenario="tech", employees=300, seed=42, as_of=AS_OF)
            emails = {login.role: login.email for login in summary.logins}
            tokens = {role: identity.create_token(session, email=e) for role, e in emails.items()}
            employee_id = session.scalars(
                select(Employee.id).where(Employee.external_id == summary.story["employee"])
            ).one()
            people = {
                row.id: row
                for row in session.execute(
                    select(Employee.id, Role.level, Role.family).join(
                        Role, Role.id == Employee.role_id
                    )
                )
            }
            levels = {
                (int(e), int(s)): float(v)
                for e, s, v in session.execute(
                    select(EmployeeSkill.employee_id, EmployeeSkill.skill_id, EmployeeSkill.level)
                )
            }
            chains = {
                person: {c[0] for c in people_repository.manager_chain(session, person)}
                for person in people
            }
            capacity = {
                (int(p), int(e)): int(c)
                for p, e, c in session.execute(
                    select(Enrolment.program_id, Enrolment.employee_id, Enrolment.capacity).where(
                        Enrolment.role == "mentor"
                    )
                )
            }
            statuses: dict[int, Counter[str]] = {}
            for program_id, status in session.execute(
                select(Enrolment.program_id, Enrolment.status).where(Enrolment.role != "mentor")
            ):
                statuses.setdefault(int(program_id), Counter())[status] += 1
            ratings = [int(r) for r in session.scalars(select(CheckIn.rating)) if r is not None]
            emerging = set(
                session.scalars(
                    select(Skill.id).where(Skill.external_id.in_(SCENARIOS["tech"].emerging_skills))
                )
            )
            assert session.scalar(select(MentoringProgram.id).limit(1)) is not None
        engine.dispose()
        programs = {
            p["name"]: p for p in _api(url, tokens["hr_admin"], "/api/v1/mentoring/programs")
        }
        matches = {
            name: _api(url, tokens["hr_admin"], f"/api/v1/mentoring/programs/{p['id']}/matches")
            for name, p in programs.items()
        }
        employee_matches = _api(
            url,
            tokens["employee"],
            f"/api/v1/mentoring/programs/{programs[SENIORS_MENTOR]['id']}/matches",
        )
        manager_programs = _api(url, tokens["manager"], "/api/v1/mentoring/programs")
        yield Built(
            summary=summary,
            programs=programs,
            matches=matches,
            role_level={i: int(row.level) for i, row in people.items()},
            family={i: str(row.family) for i, row in people.items()},
            levels=levels,
            chains=chains,
            capacity=capacity,
            statuses=statuses,
            checkin_ratings=ratings,
            emerging_ids=emerging,
            employee_id=employee_id,
            employee_matches=employee_matches,
            manager_programs=manager_programs,
        )


def _pairs(built: Built, name: str) -> list[tuple[dict[str, Any], int, int]]:
    """(match, mentor, mentee) of a program's matches that were not declined."""
    found = []
    for match in built.matches[name]:
        if match["status"] == "declined":
            continue
        for member in match["mentees"]:
            if "declined" in (member["answer"], member["mentor_answer"]):
                continue
            found.append((match, match["mentor"]["id"], member["employee"]["id"]))
    return found


def test_the_programs_of_every_kind_are_there(tech: Built) -> None:
    kinds = {p["kind"] for p in tech.programs.values()}
    assert {"one_to_one", "reverse", "circle", "micro"} <= kinds
    assert tech.programs[SENIORS_MENTOR]["kind"] == "one_to_one"
    assert tech.programs[REVERSE]["kind"] == "reverse"
    assert {p["status"] for p in tech.programs.values()} == {"running"}


def test_seniors_mentor_juniors_on_the_skills_they_hold_above_them(tech: Built) -> None:
    pairs = _pairs(tech, SENIORS_MENTOR)
    assert len(pairs) >= 10
    for match, mentor, mentee in pairs:
        assert tech.family[mentor] == tech.family[mentee] == "Engineering"
        assert tech.role_level[mentor] > tech.role_level[mentee], match["reasons"]
        assert tech.role_level[mentee] <= 2 < tech.role_level[mentor]
        assert match["skills"]
        for skill in match["skills"]:
            mine = tech.levels.get((mentee, skill["id"]), 0.0)
            theirs = tech.levels.get((mentor, skill["id"]), 0.0)
            assert theirs > mine, (skill["name"], theirs, mine)


def test_juniors_reverse_mentor_seniors_on_emerging_technologies(tech: Built) -> None:
    pairs = _pairs(tech, REVERSE)
    assert len(pairs) >= 8
    for match, mentor, mentee in pairs:
        assert tech.role_level[mentor] < tech.role_level[mentee], match["reasons"]
        assert tech.role_level[mentor] <= 2 < tech.role_level[mentee]
        assert match["skills"]
        for skill in match["skills"]:
            assert skill["id"] in tech.emerging_ids, skill["name"]
            mine = tech.levels.get((mentee, skill["id"]), 0.0)
            theirs = tech.levels.get((mentor, skill["id"]), 0.0)
            assert theirs > mine, (skill["name"], theirs, mine)


def test_juniors_are_ahead_on_emerging_technology_in_the_measured_profiles(tech: Built) -> None:
    """The generative effect reaches the consolidated profiles the matching reads: in the
    emerging families juniors hold emerging skills higher, on average, than seniors."""
    families = set(SCENARIOS["tech"].emerging_families)
    sums = {True: [0.0, 0], False: [0.0, 0]}
    for person, family in tech.family.items():
        if family not in families:
            continue
        junior = tech.role_level[person] <= 2
        for skill in tech.emerging_ids:
            sums[junior][0] += tech.levels.get((person, skill), 0.0)
            sums[junior][1] += 1
    assert sums[True][0] / sums[True][1] > sums[False][0] / sums[False][1] + 0.05


def test_no_capacity_exceeded_and_no_pair_in_a_reporting_line(tech: Built) -> None:
    for name in (SENIORS_MENTOR, REVERSE):
        program_id = tech.programs[name]["id"]
        load: Counter[int] = Counter()
        for match, mentor, mentee in _pairs(tech, name):
            assert mentor not in tech.chains[mentee]
            assert mentee not in tech.chains[mentor]
            if match["status"] in LIVE:
                load[mentor] += 1
        assert load
        for mentor, taken in load.items():
            assert 1 <= tech.capacity[(program_id, mentor)] <= 3
            assert taken <= tech.capacity[(program_id, mentor)], (name, mentor)


def test_the_lifecycle_has_every_state(tech: Built) -> None:
    """Most matches accepted and running with rated check-ins, one declined whose mentee
    re-entered a later round, some mentees waitlisted."""
    for name in (SENIORS_MENTOR, REVERSE):
        statuses = Counter(m["status"] for m in tech.matches[name])
        assert statuses["active"] > len(tech.matches[name]) / 2, statuses
        assert statuses["declined"] == 1, statuses
        declined = next(m for m in tech.matches[name] if m["status"] == "declined")
        again = [
            m
            for m in tech.matches[name]
            if m["round_id"] != declined["round_id"]
            and m["mentees"][0]["employee"]["id"] == declined["mentees"][0]["employee"]["id"]
        ]
        waiting = tech.statuses[tech.programs[name]["id"]]["waitlisted"]
        assert again or waiting, "the mentee who declined re-enters the next round"
        assert waiting >= 1
    assert tech.checkin_ratings
    assert all(1 <= r <= 5 for r in tech.checkin_ratings)
    circles = tech.matches["Peer coaching circles for people leaders"]
    assert circles
    assert all(m["mentor"] is None and 4 <= len(m["mentees"]) <= 6 for m in circles)


def test_the_story_people_see_their_mentoring(tech: Built) -> None:
    mine = [
        m
        for m in tech.employee_matches
        if any(x["employee"]["id"] == tech.employee_id for x in m["mentees"])
    ]
    assert mine, "the story employee is a mentee with a match"
    assert mine[0]["status"] in ("proposed", "active")
    assert mine[0]["mentees"][0]["reasons"]
    assert tech.manager_programs
