"""B2 and B3: one employee's profile + gaps, and the org heatmap + top-gap list, via the API.

The company is B1's (`bench.b1_profiles.generate`: 100,000 employees under a manager tree,
2,025 org units, 2,000 roles with skill profiles, 13,891 skills, 3,000,000 evidence rows, five
strategic priorities), written into a fresh migrated database (SQLite by default; PostgreSQL
when SKILLPATH_BENCH_DATABASE_URL names a server, on which a scratch database is created and
dropped). Profiles are consolidated with `evidence.service.rebuild_profiles` and the monthly
gap snapshot is taken with `gaps.service.take_gap_snapshot`, as the nightly jobs do; both are
timed and reported (they are what makes the org figures cheap to read).

B2: for a sample of employees, each logged in with their own API token, GET
`/employees/{id}/profile` then `/employees/{id}/gaps` (one request pair per employee, in
process through the ASGI app). Reference: the per-employee loop over ORM rows (the employee,
their role's `RoleSkill` objects, their `EmployeeSkill` objects, `reference_person_gaps`);
its gaps must equal the API's.

B3: as HR, GET `/gaps/heatmap?skills=50` (countries × the top 50 skills) then
`/gaps/critical?limit=50`. Reference: the same figures computed by SQL GROUP BY over
`employee`, `role_skill`, `employee_skill` and the priority weights (a recursive CTE maps
units to their top-level unit); every cell and line must be identical.

Sizes can be lowered: SKILLPATH_B23_EMPLOYEES, SKILLPATH_B23_EVIDENCE, SKILLPATH_B23_SAMPLE
(B2 employees), SKILLPATH_B23_REPEATS (B3 request pairs).
"""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

import numpy as np
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bench import b1_profiles
from bench.harness import Report, Row, median, percentile, scratch_database
from skillpath.config import Settings
from skillpath.core.clock import utcnow
from skillpath.db.session import make_engine, make_session_factory, transaction
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.evidence.models import EmployeeSkill
from skillpath.domains.gaps import service as gaps_service
from skillpath.domains.gaps.engine.reference import reference_person_gaps
from skillpath.domains.identity import service as identity
from skillpath.domains.people.models import (
    Employee,
    PriorityRole,
    PrioritySkill,
    RoleSkill,
    StrategicPriority,
)
from skillpath.migrations import upgrade_to_head
from skillpath.web.app import create_app

EMPLOYEES = int(os.environ.get("SKILLPATH_B23_EMPLOYEES", "100000"))
EVIDENCE = int(os.environ.get("SKILLPATH_B23_EVIDENCE", "3000000"))
SAMPLE = int(os.environ.get("SKILLPATH_B23_SAMPLE", "200"))
REPEATS = int(os.environ.get("SKILLPATH_B23_REPEATS", "30"))
B2_TARGET_MS = 50.0
B3_TARGET_MS = 300.0
HEATMAP_SKILLS = 50
TOP_GAPS = 50
SEED = 23


# B2 reference: the per-employee loop over ORM rows


def _reference_person(
    session: Session,
    employee_id: int,
    skill_weight: dict[int, float],
    role_weight: dict[int, float],
) -> dict[int, tuple[float, float]]:
    """skill id → (shortfall, weighted gap) for one employee, the plain way."""
    employee = session.get(Employee, employee_id)
    assert employee is not None
    assert employee.role_id is not None
    lines = session.scalars(select(RoleSkill).where(RoleSkill.role_id == employee.role_id)).all()
    held = session.scalars(
        select(EmployeeSkill).where(EmployeeSkill.employee_id == employee_id)
    ).all()
    levels = {(0, row.skill_id): row.level for row in held}
    width = 1 + max([line.skill_id for line in lines] + [row.skill_id for row in held] + [0])
    result = reference_person_gaps(
        [employee.role_id],
        {employee.role_id: [(line.skill_id, line.target_level, line.importance) for line in lines]},
        levels,
        [skill_weight.get(s, 1.0) for s in range(width)],
        [role_weight.get(r, 1.0) for r in range(employee.role_id + 1)],
    )
    return {skill: (shortfall, weighted) for _e, skill, shortfall, weighted in result}


def _combined_weights(session: Session) -> tuple[dict[int, float], dict[int, float]]:
    active = select(StrategicPriority.id).where(StrategicPriority.active.is_(True))
    skills = {
        int(s): float(w)
        for s, w in session.execute(
            select(PrioritySkill.skill_id, func.max(PrioritySkill.weight))
            .where(PrioritySkill.priority_id.in_(active))
            .group_by(PrioritySkill.skill_id)
        )
    }
    roles = {
        int(r): float(w)
        for r, w in session.execute(
            select(PriorityRole.role_id, func.max(PriorityRole.weight))
            .where(PriorityRole.priority_id.in_(active))
            .group_by(PriorityRole.role_id)
        )
    }
    return skills, roles


# B3 reference: SQL GROUP BY


def _greatest(dialect: str) -> str:
    return "max" if dialect == "sqlite" else "greatest"


def _reference_rollup_sql(dialect: str, day: str, by_top_unit: bool) -> str:
    """Demand, met, impact and supply per skill (and per top-level unit) in plain SQL."""
    greatest = _greatest(dialect)
    group_column = "top.top_id" if by_top_unit else "0"
    top_cte = (
        """
        top (unit_id, top_id) AS (
            SELECT u.id, u.id FROM org_unit u JOIN org_unit p ON p.id = u.parent_id
            WHERE p.parent_id IS NULL
            UNION ALL
            SELECT c.id, top.top_id FROM org_unit c JOIN top ON c.parent_id = top.unit_id
        ),"""
        if by_top_unit
        else ""
    )
    top_join = "JOIN top ON top.unit_id = e.org_unit_id" if by_top_unit else ""
    return f"""
    WITH RECURSIVE {top_cte}
    people AS (
        SELECT e.id, e.role_id, {group_column} AS grp FROM employee e {top_join}
        WHERE (e.left_on IS NULL OR e.left_on > '{day}') AND e.hired_on <= '{day}'
    ),
    sw AS (
        SELECT skill_id, max(weight) AS w FROM priority_skill WHERE priority_id IN
        (SELECT id FROM strategic_priority WHERE active) GROUP BY skill_id
    ),
    rw AS (
        SELECT role_id, max(weight) AS w FROM priority_role WHERE priority_id IN
        (SELECT id FROM strategic_priority WHERE active) GROUP BY role_id
    ),
    gaps AS (
        SELECT p.grp, rs.skill_id, rs.target_level AS target,
               coalesce(es.level, 0) AS current,
               {greatest}(0, rs.target_level - coalesce(es.level, 0)) * rs.importance
               * coalesce(sw.w, 1) * coalesce(rw.w, 1) AS weighted
        FROM people p
        JOIN role_skill rs ON rs.role_id = p.role_id
        LEFT JOIN employee_skill es ON es.employee_id = p.id AND es.skill_id = rs.skill_id
        LEFT JOIN sw ON sw.skill_id = rs.skill_id
        LEFT JOIN rw ON rw.role_id = p.role_id
    ),
    lines AS (
        SELECT grp, skill_id, count(*) AS demand,
               sum(CASE WHEN current >= target THEN 1 ELSE 0 END) AS met,
               sum(weighted) AS impact, max(target) AS reference
        FROM gaps GROUP BY grp, skill_id
    ),
    supply AS (
        SELECT l.grp, l.skill_id, count(*) AS supply
        FROM employee_skill es
        JOIN people p ON p.id = es.employee_id
        JOIN lines l ON l.grp = p.grp AND l.skill_id = es.skill_id
        WHERE es.level >= l.reference
        GROUP BY l.grp, l.skill_id
    )
    SELECT l.grp, l.skill_id, l.demand, l.met, l.impact, coalesce(s.supply, 0)
    FROM lines l LEFT JOIN supply s ON s.grp = l.grp AND s.skill_id = l.skill_id
    """


def _reference_b3(session: Session, day: str, skill_ids: list[int]) -> tuple[Any, Any]:
    """(org lines, top-unit cells) by SQL GROUP BY, keyed by skill and (unit, skill)."""
    dialect = session.get_bind().dialect.name
    org = {
        int(skill): (int(demand), int(met), int(supply), float(impact))
        for _g, skill, demand, met, impact, supply in session.execute(
            text(_reference_rollup_sql(dialect, day, by_top_unit=False))
        )
    }
    wanted = set(skill_ids)
    cells = {
        (int(unit), int(skill)): (int(demand), int(met), int(supply), float(impact))
        for unit, skill, demand, met, impact, supply in session.execute(
            text(_reference_rollup_sql(dialect, day, by_top_unit=True))
        )
        if int(skill) in wanted
    }
    return org, cells


def _same(a: tuple[int, int, int, float], b: tuple[int, int, int, float]) -> bool:
    return a[:3] == b[:3] and abs(a[3] - b[3]) <= 1e-9 * max(1.0, abs(b[3]))


def run() -> None:
    """Build, consolidate, snapshot, measure B2 and B3 against their references, report."""
    report = Report("B2/B3", "one employee's profile + gaps; org heatmap + top gaps (API)")
    url, remove = scratch_database("b23")
    engine = make_engine(url)
    b1_profiles.EMPLOYEES = EMPLOYEES
    b1_profiles.EVIDENCE = EVIDENCE
    now = b1_profiles.AS_OF
    day = utcnow().date()
    try:
        upgrade_to_head(url)
        factory = make_session_factory(engine)
        started = time.perf_counter()
        with transaction(factory) as session:
            b1_profiles.generate(session)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        with transaction(factory) as session:
            evidence_service.rebuild_profiles(session, now=now)
        rebuilt = time.perf_counter() - started
        started = time.perf_counter()
        with transaction(factory) as session:
            # Taken today: org figures are read from it while nothing changes (its fingerprint).
            snapshot = gaps_service.take_gap_snapshot(session, utcnow())
        snapshotted = time.perf_counter() - started
        print(
            f"B2/B3: {EMPLOYEES:,} employees, {EVIDENCE:,} evidence rows on "
            f"{engine.dialect.name}: generated in {generated:.1f} s, profiles rebuilt in "
            f"{rebuilt:.1f} s, snapshot ({snapshot.lines:,} lines) in {snapshotted:.1f} s"
        )
        rng = np.random.default_rng(SEED)
        with transaction(factory) as session:
            # Leaves of the manager tree (no reports): "my gaps" as the employee sees it.
            sample = sorted(
                int(i) for i in rng.choice(np.arange(EMPLOYEES // 2, EMPLOYEES), SAMPLE, False) + 1
            )
            tokens = {}
            for employee_id in sample:
                external = session.get(Employee, employee_id)
                assert external is not None
                user = identity.create_user(
                    session,
                    email=f"b2-{employee_id}@example.com",
                    role="employee",
                    employee_external_id=external.external_id,
                    password=None,
                )
                tokens[employee_id] = identity.create_token(session, email=user.email)
            identity.create_user(session, email="b3-hr@example.com", role="hr_admin", password=None)
            hr_token = identity.create_token(session, email="b3-hr@example.com")
        app = create_app(Settings(database_url=url, secret_key=uuid.uuid4().hex))
        with TestClient(app) as client:
            b2_times, b2_gaps_times, b2_results = _measure_b2(client, sample, tokens)
            b3_times, heatmap, critical = _measure_b3(client, hr_token)
        app.state.engine.dispose()
        # References, timed in the same run, and identical results.
        with factory() as session:
            skill_weight, role_weight = _combined_weights(session)
            started = time.perf_counter()
            reference = {
                e: _reference_person(session, e, skill_weight, role_weight) for e in sample
            }
            b2_reference = (time.perf_counter() - started) / len(sample)
            for employee_id in sample:
                got = {
                    line["skill"]["id"]: (line["shortfall"], line["weighted_gap"])
                    for line in b2_results[employee_id]["skills"]
                }
                want = reference[employee_id]
                assert got.keys() == want.keys(), employee_id
                for skill, (shortfall, weighted) in want.items():
                    assert abs(got[skill][0] - shortfall) <= 1e-12, (employee_id, skill)
                    assert abs(got[skill][1] - weighted) <= 1e-12, (employee_id, skill)
            skill_ids = [s["id"] for s in heatmap["skills"]]
            b3_reference_times = []
            for _ in range(2):
                started = time.perf_counter()
                org, cells = _reference_b3(session, day.isoformat(), skill_ids)
                b3_reference_times.append(time.perf_counter() - started)
        _check_b3(critical, heatmap, org, cells)
        b2_p95 = percentile(b2_times, 95) * 1000
        b3_p95 = percentile(b3_times, 95) * 1000
        report.add(
            Row(
                "B2 profile + gaps, p95 (employee's own token)",
                b2_p95,
                "ms",
                target=f"<= {B2_TARGET_MS:.0f} ms",
                reference=b2_reference * 1000,
                meets=b2_p95 <= B2_TARGET_MS,
            )
        )
        report.add(Row("B2 profile + gaps, median", median(b2_times) * 1000, "ms"))
        report.add(
            Row(
                "B2 gaps request alone, p95",
                percentile(b2_gaps_times, 95) * 1000,
                "ms",
                target=f"<= {B2_TARGET_MS:.0f} ms",
                reference=b2_reference * 1000,
                meets=percentile(b2_gaps_times, 95) * 1000 <= B2_TARGET_MS,
            )
        )
        report.add(Row("B2 gaps request alone, median", median(b2_gaps_times) * 1000, "ms"))
        report.add(
            Row(
                f"B3 heatmap {len(heatmap['units'])}x{len(skill_ids)} + top {TOP_GAPS}, p95",
                b3_p95,
                "ms",
                target=f"<= {B3_TARGET_MS:.0f} ms",
                reference=median(b3_reference_times) * 1000,
                meets=b3_p95 <= B3_TARGET_MS,
            )
        )
        report.add(Row("B3 heatmap + top gaps, median", median(b3_times) * 1000, "ms"))
        report.add(Row("nightly: profile rebuild", rebuilt, "s"))
        report.add(Row("nightly: gap snapshot (every unit, every lens)", snapshotted, "s"))
        report.extra.update(
            {
                "database": engine.dialect.name,
                "employees": EMPLOYEES,
                "evidence_rows": EVIDENCE,
                "b2_requests": len(b2_times),
                "b3_requests": len(b3_times),
                "snapshot_lines": snapshot.lines,
                "b3_basis": critical["basis"],
                "reference": (
                    "B2: per-employee loop over ORM rows (gaps only; the API also serves the "
                    "profile); B3: SQL GROUP BY over employee, role_skill, employee_skill"
                ),
            }
        )
    finally:
        engine.dispose()
        remove()
    report.print()


def _measure_b2(
    client: TestClient, sample: list[int], tokens: dict[int, str]
) -> tuple[list[float], list[float], dict[int, Any]]:
    """Time the profile + gaps request pair of each sampled employee (one warm-up first), and
    the gaps request alone."""
    times: list[float] = []
    gaps_times: list[float] = []
    results: dict[int, Any] = {}
    first = sample[0]
    client.get(f"/api/v1/employees/{first}/gaps", headers=_bearer(tokens[first]))
    client.get(f"/api/v1/employees/{first}/profile", headers=_bearer(tokens[first]))
    for employee_id in sample:
        headers = _bearer(tokens[employee_id])
        started = time.perf_counter()
        profile = client.get(f"/api/v1/employees/{employee_id}/profile", headers=headers)
        middle = time.perf_counter()
        gaps = client.get(f"/api/v1/employees/{employee_id}/gaps", headers=headers)
        ended = time.perf_counter()
        times.append(ended - started)
        gaps_times.append(ended - middle)
        assert profile.status_code == 200, profile.text
        assert gaps.status_code == 200, gaps.text
        results[employee_id] = gaps.json()
    return times, gaps_times, results


def _measure_b3(client: TestClient, token: str) -> tuple[list[float], Any, Any]:
    """Time the heatmap + top-gap request pair (one warm-up first)."""
    headers = _bearer(token)
    params = {"skills": HEATMAP_SKILLS}
    client.get("/api/v1/gaps/heatmap", params=params, headers=headers)
    times: list[float] = []
    heatmap: Any = None
    critical: Any = None
    for _ in range(REPEATS):
        started = time.perf_counter()
        first = client.get("/api/v1/gaps/heatmap", params=params, headers=headers)
        second = client.get("/api/v1/gaps/critical", params={"limit": TOP_GAPS}, headers=headers)
        times.append(time.perf_counter() - started)
        assert first.status_code == 200, first.text
        assert second.status_code == 200, second.text
        heatmap, critical = first.json(), second.json()
    return times, heatmap, critical


def _check_b3(critical: Any, heatmap: Any, org: Any, cells: Any) -> None:
    """The API's figures equal the SQL GROUP BY's, line by line and cell by cell (impacts to
    1e-9 relative: the two sum in different orders), and the API's top skills are the top."""
    assert critical["total"] == len(org), (critical["total"], len(org))
    impacts = [item["impact"] for item in critical["items"]]
    assert impacts == sorted(impacts, reverse=True)
    listed = {item["skill"]["id"] for item in critical["items"]}
    for item in critical["items"]:
        got = (item["demand"], item["met"], item["supply"], item["impact"])
        assert _same(got, org[item["skill"]["id"]]), (item, org[item["skill"]["id"]])
    left_out = [line[3] for skill, line in org.items() if skill not in listed]
    assert not left_out or max(left_out) <= impacts[-1] + 1e-9 * max(1.0, impacts[-1])
    assert [s["id"] for s in heatmap["skills"]] == [
        item["skill"]["id"] for item in critical["items"][: len(heatmap["skills"])]
    ]
    checked = 0
    for row in heatmap["units"]:
        for skill, cell in zip(heatmap["skills"], row["cells"], strict=True):
            key = (row["unit"]["id"], skill["id"])
            if cell is None:
                assert key not in cells, key
                continue
            got = (cell["demand"], cell["met"], cell["supply"], cell["impact"])
            assert _same(got, cells[key]), (key, got, cells[key])
            checked += 1
    assert checked > 0


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
