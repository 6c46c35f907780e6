"""`skillpath import ...`: taxonomies (ESCO, O*NET) and CSV files, with progress and a report."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import cast

import typer

from skillpath.cli.ai import index_after_import
from skillpath.cli.common import console, progress_callback, unit_of_work
from skillpath.core.errors import InvalidInputError, Problem, SkillpathError
from skillpath.core.reports import ImportReport
from skillpath.domains.taxonomy import service as taxonomy_service

app = typer.Typer(help="Import taxonomies and HR data.", no_args_is_help=True)


def print_report(report: ImportReport) -> None:
    """Print what an import did."""
    for line in report.lines():
        console.print(line)


CSV_IMPORTERS: dict[str, tuple[str, str]] = {
    "skills": ("skillpath.domains.taxonomy.service", "import_skills_csv"),
    "locations": ("skillpath.domains.people.service", "import_locations_csv"),
    "org-units": ("skillpath.domains.people.service", "import_org_units_csv"),
    "roles": ("skillpath.domains.people.service", "import_roles_csv"),
    "role-skills": ("skillpath.domains.people.service", "import_role_skills_csv"),
    "employees": ("skillpath.domains.people.service", "import_employees_csv"),
    "evidence": ("skillpath.domains.evidence.service", "import_evidence_csv"),
    "catalog": ("skillpath.domains.learning.service", "import_catalog_csv"),
    "completions": ("skillpath.domains.learning.service", "import_completions_csv"),
    "openings": ("skillpath.domains.people.service", "import_openings_csv"),
    "moves": ("skillpath.domains.people.service", "import_moves_csv"),
    "leavers": ("skillpath.domains.people.service", "import_leavers_csv"),
}
"""KIND of `skillpath import csv KIND FILE` → (module, service function), in the order a
company's files import into an empty database. Modules load only when used."""

CsvImporter = Callable[..., ImportReport]


def csv_importer(kind: str) -> CsvImporter:
    """The service function importing one kind of CSV file; an unknown kind is refused."""
    target = CSV_IMPORTERS.get(kind.strip().lower())
    if target is None:
        raise InvalidInputError(
            f"unknown kind of CSV file {kind!r}",
            [Problem(f"must be one of: {', '.join(CSV_IMPORTERS)}", column="KIND", value=kind)],
        )
    module_name, function_name = target
    function = getattr(importlib.import_module(module_name), function_name, None)
    if function is None:
        raise SkillpathError(f"importing {kind} files is not available in this version")
    return cast(CsvImporter, function)


@app.command("csv")
def import_csv(
    kind: str = typer.Argument(..., help=f"One of: {', '.join(CSV_IMPORTERS)}."),
    file: Path = typer.Argument(..., help="The CSV file (UTF-8, header row)."),
) -> None:
    """Import one CSV file of HR data (formats in docs/import-formats.md); all or nothing."""
    importer = csv_importer(kind)
    with unit_of_work() as session, progress_callback() as progress:
        report = importer(session, path=file, progress=progress)
    print_report(report)


@app.command("esco")
def import_esco(
    paths: list[Path] = typer.Argument(
        ...,
        help="The two zips of the ESCO CSV export (classification and relations), "
        "or the folder(s) they were extracted to.",
    ),
    no_index: bool = typer.Option(
        False, "--no-index", help="Do not build the text → skills index after the import."
    ),
) -> None:
    """Import ESCO: skills, groups, hierarchy, relations, occupations as role templates."""
    with unit_of_work() as session, progress_callback() as progress:
        report = taxonomy_service.import_esco(session, paths=paths, progress=progress)
    print_report(report)
    if not no_index:
        index_after_import("esco")


@app.command("onet")
def import_onet(
    path: Path = typer.Argument(
        ..., help="The O*NET text database zip (db_XX_X_text) or its extracted folder."
    ),
    no_index: bool = typer.Option(
        False, "--no-index", help="Do not build the text → skills index after the import."
    ),
) -> None:
    """Import O*NET: occupations as role templates, skills, knowledge, technology, titles."""
    with unit_of_work() as session, progress_callback() as progress:
        report = taxonomy_service.import_onet(session, path=path, progress=progress)
    print_report(report)
    if not no_index:
        index_after_import("onet")
