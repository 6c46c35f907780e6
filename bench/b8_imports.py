"""B8: imports — HR CSVs (100,000 employees + 3,000,000 evidence rows), full ESCO, O*NET.

Builds seeded CSV files in a temporary folder, imports them into a fresh, migrated database
(SQLite by default; PostgreSQL when SKILLPATH_BENCH_DATABASE_URL names a server, on which a
scratch database is created and dropped), then imports ESCO v1.1.0 and O*NET 29.3 from
../shared/data. The reference is the plain way: a per-row ORM import (a lookup query per
reference and `session.add` per row) timed on a subset and extrapolated linearly.

Sizes can be lowered for a quick look: SKILLPATH_B8_EMPLOYEES, SKILLPATH_B8_EVIDENCE.
"""

from __future__ import annotations

import csv
import os
import random
import resource
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.harness import Report, Row, scratch_database
from skillpath.core.levels import FIVE_POINT
from skillpath.core.reports import ImportReport
from skillpath.db import bulk
from skillpath.db.session import make_engine, make_session_factory, transaction
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.evidence.evidence_csv import evidence_fingerprint
from skillpath.domains.evidence.models import SkillEvidence
from skillpath.domains.people import service as people_service
from skillpath.domains.people.models import Employee, Role
from skillpath.domains.taxonomy import service as taxonomy_service
from skillpath.domains.taxonomy.models import Skill, TaxonomySource
from skillpath.migrations import upgrade_to_head

SEED = 8
EMPLOYEES = int(os.environ.get("SKILLPATH_B8_EMPLOYEES", "100000"))
EVIDENCE = int(os.environ.get("SKILLPATH_B8_EVIDENCE", "3000000"))
SKILLS = 13_891
ROLES = 2_000
COUNTRIES = (
    ("GB", "en-GB", "Europe/London"),
    ("DE", "de-DE", "Europe/Berlin"),
    ("FR", "fr-FR", "Europe/Paris"),
    ("ES", "es-ES", "Europe/Madrid"),
    ("PL", "pl-PL", "Europe/Warsaw"),
    ("US", "en-US", "America/New_York"),
    ("BR", "pt-BR", "America/Sao_Paulo"),
    ("IN", "en-IN", "Asia/Kolkata"),
)
SITES_PER_COUNTRY = 12
TEAMS_PER_SITE = 20
REPORTS_PER_MANAGER = 8
SOURCES = ("self", "manager", "peer", "assessment", "certification", "learning", "project")
REFERENCE_EVIDENCE_ROWS = 20_000
REFERENCE_EMPLOYEE_ROWS = 5_000
CSV_TARGET_SECONDS = 60.0
TAXONOMY_TARGET_SECONDS = 30.0
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _write(path: Path, header: list[str], rows: Any) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def generate(folder: Path) -> dict[str, Path]:
    """Seeded CSV files of a company: locations, units, skills, roles, employees, evidence."""
    rng = random.Random(SEED)
    files: dict[str, Path] = {}
    files["locations"] = _write(
        folder / "locations.csv",
        ["external_id", "name", "country", "locale", "timezone"],
        (
            (f"L-{country}-{site:02d}", f"{country} site {site}", country, locale, zone)
            for country, locale, zone in COUNTRIES
            for site in range(SITES_PER_COUNTRY)
        ),
    )
    units: list[tuple[str, str, str, str, str]] = [("U-ROOT", "Company", "company", "", "")]
    teams: list[tuple[str, str]] = []
    for country, _locale, _zone in COUNTRIES:
        units.append((f"U-{country}", f"{country} operations", "country", "U-ROOT", ""))
        for site in range(SITES_PER_COUNTRY):
            site_id = f"U-{country}-{site:02d}"
            location = f"L-{country}-{site:02d}"
            units.append((site_id, f"{country} site {site}", "site", f"U-{country}", location))
            for team in range(TEAMS_PER_SITE):
                team_id = f"{site_id}-T{team:02d}"
                units.append((team_id, f"Team {team}", "team", site_id, location))
                teams.append((team_id, location))
    rng.shuffle(units)  # children may come before their parents
    files["org-units"] = _write(
        folder / "org-units.csv", ["external_id", "name", "kind", "parent", "location"], units
    )
    files["skills"] = _write(
        folder / "skills.csv",
        ["external_id", "name"],
        ((f"S{n:05d}", f"Skill {n}") for n in range(SKILLS)),
    )
    files["roles"] = _write(
        folder / "roles.csv",
        ["external_id", "title"],
        ((f"R{n:04d}", f"Role {n}") for n in range(ROLES)),
    )
    start = date(2010, 1, 1)
    people = []
    for n in range(EMPLOYEES):
        team, location = teams[(n // REPORTS_PER_MANAGER) % len(teams)]
        manager = f"E{(n - 1) // REPORTS_PER_MANAGER:06d}" if n else ""
        people.append(
            (
                f"E{n:06d}",
                f"First{n}",
                f"Last{n}",
                f"person{n}@example.com",
                "Associate",
                manager,
                team,
                f"R{rng.randrange(ROLES):04d}",
                location,
                (start + timedelta(days=rng.randrange(5000))).isoformat(),
                "en" if n % 3 else "en;fr",
            )
        )
    rng.shuffle(people)  # managers may come after their reports
    files["employees"] = _write(
        folder / "employees.csv",
        [
            "external_id",
            "first_name",
            "last_name",
            "email",
            "job_title",
            "manager",
            "unit",
            "role",
            "location",
            "hired_on",
            "languages",
        ],
        people,
    )
    del people
    files["evidence"] = _write(
        folder / "evidence.csv",
        ["employee", "skill", "source", "rater", "level", "scale", "confidence", "observed_at"],
        _evidence_rows(rng),
    )
    return files


def _evidence_rows(rng: random.Random) -> Any:
    """Evidence grouped by employee, as HR systems export it; mixed scales and sources."""
    first_day = date(2022, 1, 1)
    per_person, extra = divmod(EVIDENCE, EMPLOYEES)
    for n in range(EMPLOYEES):
        employee = f"E{n:06d}"
        manager = f"E{(n - 1) // REPORTS_PER_MANAGER:06d}" if n else ""
        for _ in range(per_person + (1 if n < extra else 0)):
            source = SOURCES[rng.randrange(len(SOURCES))]
            rater = manager if source == "manager" else ""
            observed = (first_day + timedelta(days=rng.randrange(1000))).isoformat()
            if rng.random() < 0.5:
                level, scale = str(rng.randint(1, 5)), "five_point"
            else:
                level, scale = f"{rng.random():.2f}", ""
            yield (
                employee,
                f"S{rng.randrange(SKILLS):05d}",
                source,
                rater,
                level,
                scale,
                f"{0.3 + rng.random() * 0.7:.2f}",
                observed,
            )


def _timed(
    factory: Any, function: Callable[..., ImportReport], **kwargs: Any
) -> tuple[float, ImportReport]:
    """Run one import in its own committed transaction; wall-clock seconds and its report."""
    started = time.perf_counter()
    with transaction(factory) as session:
        report = function(session, **kwargs)
    return time.perf_counter() - started, report


def _load_roles(factory: Any, path: Path) -> float:
    """Roles through the roles CSV import when it exists, else straight into the table."""
    importer = getattr(people_service, "import_roles_csv", None)
    if importer is not None:
        return _timed(factory, importer, path=path)[0]
    started = time.perf_counter()
    with path.open(encoding="utf-8") as handle, transaction(factory) as session:
        rows = list(csv.DictReader(handle))
        bulk.insert_rows(
            session,
            bulk.table_of(Role),
            (
                {
                    "source": "org",
                    "external_id": row["external_id"],
                    "title": row["title"],
                    "title_lower": row["title"].lower(),
                    "updated_at": datetime.now(UTC),
                }
                for row in rows
            ),
        )
    print("  note: import_roles_csv is not available; roles were inserted directly")
    return time.perf_counter() - started


def _reference_evidence(factory: Any, path: Path, rows: int) -> float:
    """The plain way: per row, two lookup queries and an ORM object; rolled back after."""
    session: Session = factory()
    started = time.perf_counter()
    try:
        with path.open(encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            for _n, row in zip(range(rows), reader, strict=False):
                employee = session.scalars(
                    select(Employee).where(Employee.external_id == row["employee"])
                ).one()
                skill = session.scalars(
                    select(Skill).where(Skill.external_id == row["skill"])
                ).one()
                rater = (
                    session.scalars(
                        select(Employee).where(Employee.external_id == row["rater"])
                    ).one()
                    if row["rater"]
                    else None
                )
                level = (
                    FIVE_POINT.to_latent(float(row["level"]))
                    if row["scale"]
                    else float(row["level"])
                )
                observed = datetime.fromisoformat(row["observed_at"]).replace(tzinfo=UTC)
                confidence = float(row["confidence"])
                session.add(
                    SkillEvidence(
                        fingerprint=evidence_fingerprint(
                            employee_id=employee.id,
                            skill_id=skill.id,
                            source=row["source"],
                            rater_id=rater.id if rater else None,
                            level=level,
                            confidence=confidence,
                            observed_at=observed,
                            expires_on=None,
                            note="ref",
                        ),
                        employee_id=employee.id,
                        skill_id=skill.id,
                        source=row["source"],
                        rater_id=rater.id if rater else None,
                        level=level,
                        confidence=confidence,
                        observed_at=observed,
                        note="ref",
                    )
                )
        session.flush()
        return time.perf_counter() - started
    finally:
        session.rollback()
        session.close()


def _reference_employees(factory: Any, rows: int) -> float:
    """The plain way for employees: a query per reference and an ORM object per row."""
    from skillpath.domains.people.models import Location, OrgUnit

    session: Session = factory()
    started = time.perf_counter()
    try:
        for n in range(rows):
            unit = session.scalars(
                select(OrgUnit).where(OrgUnit.external_id == f"U-GB-00-T{n % 20:02d}")
            ).one()
            role = session.scalars(
                select(Role).where(Role.external_id == f"R{n % ROLES:04d}")
            ).one()
            location = session.scalars(
                select(Location).where(Location.external_id == "L-GB-00")
            ).one()
            existing = session.scalars(
                select(Employee).where(Employee.external_id == f"REF{n:06d}")
            ).first()
            if existing is None:
                session.add(
                    Employee(
                        external_id=f"REF{n:06d}",
                        first_name="Ref",
                        last_name=str(n),
                        name_lower=f"ref {n}",
                        email=f"ref{n}@example.com",
                        org_unit_id=unit.id,
                        role_id=role.id,
                        location_id=location.id,
                        hired_on=date(2020, 1, 1),
                        languages=["en"],
                    )
                )
                session.flush()
        return time.perf_counter() - started
    finally:
        session.rollback()
        session.close()


def run() -> None:
    """Generate, import, compare with the per-row reference, print the table and RESULT."""
    report = Report("B8", "imports: HR CSVs, ESCO, O*NET")
    url, remove = scratch_database("b8")
    engine = make_engine(url)
    try:
        upgrade_to_head(url)
        factory = make_session_factory(engine)
        with tempfile.TemporaryDirectory(prefix="skillpath-b8-") as temp:
            started = time.perf_counter()
            files = generate(Path(temp))
            sizes = {kind: path.stat().st_size for kind, path in files.items()}
            print(
                f"B8: generated {EMPLOYEES:,} employees and {EVIDENCE:,} evidence rows "
                f"({sum(sizes.values()) / 1e6:.0f} MB) in {time.perf_counter() - started:.1f} s "
                f"on {engine.dialect.name}"
            )
            setup = 0.0
            setup += _timed(factory, people_service.import_locations_csv, path=files["locations"])[
                0
            ]
            setup += _timed(factory, people_service.import_org_units_csv, path=files["org-units"])[
                0
            ]
            setup += _timed(factory, taxonomy_service.import_skills_csv, path=files["skills"])[0]
            setup += _load_roles(factory, files["roles"])
            employees_seconds, employees_report = _timed(
                factory, people_service.import_employees_csv, path=files["employees"]
            )
            evidence_seconds, evidence_report = _timed(
                factory, evidence_service.import_evidence_csv, path=files["evidence"]
            )
            again_seconds, again_report = _timed(
                factory, people_service.import_employees_csv, path=files["employees"]
            )
            csv_total = setup + employees_seconds + evidence_seconds
            reference_employees = (
                _reference_employees(factory, REFERENCE_EMPLOYEE_ROWS)
                * EMPLOYEES
                / REFERENCE_EMPLOYEE_ROWS
            )
            reference_evidence = (
                _reference_evidence(factory, files["evidence"], REFERENCE_EVIDENCE_ROWS)
                * EVIDENCE
                / REFERENCE_EVIDENCE_ROWS
            )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with factory() as session:
            stored = session.scalar(select(func.count()).select_from(SkillEvidence)) or 0
        assert stored == EVIDENCE, f"{stored} evidence rows stored, {EVIDENCE} expected"
        assert sum(employees_report.created.values()) == EMPLOYEES
        assert not again_report.changed_anything, "re-importing employees changed something"
        report.add(Row("CSV locations + org units + skills + roles", setup, "s"))
        report.add(
            Row(
                f"CSV {EMPLOYEES:,} employees",
                employees_seconds,
                "s",
                reference=reference_employees,
            )
        )
        report.add(
            Row(
                f"CSV {EVIDENCE:,} evidence rows",
                evidence_seconds,
                "s",
                reference=reference_evidence,
            )
        )
        report.add(
            Row(
                "CSV total (employees + evidence + setup)",
                csv_total,
                "s",
                target=f"<= {CSV_TARGET_SECONDS:.0f} s",
                reference=setup + reference_employees + reference_evidence,
                meets=csv_total <= CSV_TARGET_SECONDS,
            )
        )
        report.add(Row("CSV employees re-import (all unchanged)", again_seconds, "s"))
        report.add(Row("evidence rows per second", EVIDENCE / evidence_seconds, "rows/s"))
        _taxonomies(factory, report)
        report.extra.update(
            {
                "database": engine.dialect.name,
                "employees": EMPLOYEES,
                "evidence_rows": EVIDENCE,
                "peak_memory_mb": round(peak_mb),
                "reference": (
                    f"per-row ORM import on {REFERENCE_EMPLOYEE_ROWS:,} employees and "
                    f"{REFERENCE_EVIDENCE_ROWS:,} evidence rows, extrapolated linearly"
                ),
                "evidence_report": evidence_report.lines(),
            }
        )
    finally:
        engine.dispose()
        remove()
    report.print()


def _taxonomies(factory: Any, report: Report) -> None:
    """Full ESCO and O*NET imports, when the data and H1's importers are there."""
    esco = SHARED_DATA / "esco"
    onet = SHARED_DATA / "onet" / "onet-29.3-db-text.zip"
    import_esco = getattr(taxonomy_service, "import_esco", None)
    import_onet = getattr(taxonomy_service, "import_onet", None)
    if import_esco is None or not esco.is_dir():
        print("  note: ESCO import skipped (no importer or no ../shared/data/esco)")
    else:
        seconds, result = _timed(factory, import_esco, paths=sorted(esco.glob("*.zip")))
        with factory() as session:
            skills = session.scalar(
                select(func.count())
                .select_from(Skill)
                .join(TaxonomySource, TaxonomySource.id == Skill.source_id)
                .where(TaxonomySource.key == "esco", Skill.kind != "group")
            )
        report.add(
            Row(
                f"ESCO v1.1.0 full import ({skills:,} skills)",
                seconds,
                "s",
                target=f"<= {TAXONOMY_TARGET_SECONDS:.0f} s",
                meets=seconds <= TAXONOMY_TARGET_SECONDS,
            )
        )
        report.extra["esco_report"] = result.lines()
    if import_onet is None or not onet.exists():
        print("  note: O*NET import skipped (no importer or no ../shared/data/onet)")
    else:
        seconds, result = _timed(factory, import_onet, path=onet)
        report.add(
            Row(
                "O*NET 29.3 import",
                seconds,
                "s",
                target=f"<= {TAXONOMY_TARGET_SECONDS:.0f} s",
                meets=seconds <= TAXONOMY_TARGET_SECONDS,
            )
        )
        report.extra["onet_report"] = result.lines()
