"""The example files of docs/examples import cleanly, in the documented order, and twice."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from skillpath.cli.imports import CSV_IMPORTERS, csv_importer

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"
FORMATS = Path(__file__).resolve().parents[1] / "docs" / "import-formats.md"


def _available() -> list[str]:
    kinds = []
    for kind, (module, function) in CSV_IMPORTERS.items():
        if hasattr(importlib.import_module(module), function):
            kinds.append(kind)
    return kinds


def test_every_kind_has_an_example_and_a_section() -> None:
    """Each kind of CSV file is documented and has an example file."""
    text = FORMATS.read_text(encoding="utf-8")
    for kind in CSV_IMPORTERS:
        assert (EXAMPLES / f"{kind}.csv").exists(), f"docs/examples/{kind}.csv is missing"
        assert f"\n## {kind}\n" in text, f"import-formats.md has no section for {kind}"


def test_examples_import_in_order_and_again(session: Session) -> None:
    """All examples import into an empty database; a second pass changes nothing."""
    kinds = _available()
    missing = [kind for kind in CSV_IMPORTERS if kind not in kinds]
    if missing:
        pytest.skip(f"importers not available yet: {', '.join(missing)}")
    for kind in kinds:
        report = csv_importer(kind)(session, path=EXAMPLES / f"{kind}.csv")
        assert report.rows_read > 0, kind
        assert report.changed_anything, f"{kind}: the first import created nothing"
    for kind in kinds:
        report = csv_importer(kind)(session, path=EXAMPLES / f"{kind}.csv")
        assert not report.changed_anything, f"{kind}: a second import changed {report.lines()}"
