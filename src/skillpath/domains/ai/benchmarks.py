"""Readers of the public text → skill benchmark files in `shared/data/skill-extraction/`.

- TECH / HOUSE (Decorte et al. 2022): `sentence,span,sub_span,label`, one row per annotated span;
  rows are grouped by sentence and the labels `LABEL NOT PRESENT` and `UNDERSPECIFIED` dropped.
- SkillSkape (Magron et al. 2024): `,sentence,skills` with a Python list of ESCO preferred labels;
  `UNK` means none.
- Job titles (Decorte et al. 2021): `text,label`, a raw title and its ESCO occupation.

Sentences left without a gold label stay in the lists (their gold set is empty) so that the
ranker sees every input; the metrics skip them, as the protocol says.
"""

from __future__ import annotations

import ast
import csv
from dataclasses import dataclass
from pathlib import Path

from skillpath.core.errors import InvalidInputError, Problem

DROPPED_LABELS = frozenset({"LABEL NOT PRESENT", "UNDERSPECIFIED", "UNK"})
SKILL_SETS = {
    "TECH": "tech_validation_annotations.csv",
    "HOUSE": "house_validation_annotations.csv",
    "SkillSkape": "skillskape_dev.csv",
}
"""The evaluation sets `make eval-skills` reports, by name → file."""
TRAINING_SET = "skillskape_train.csv"
TITLE_SET = "jobtitle_to_esco_occupation_dev.csv"


@dataclass(frozen=True)
class LabelledText:
    """A text and its gold labels (ESCO preferred labels)."""

    text: str
    gold: frozenset[str]


def _rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a benchmark CSV, refusing a file without the expected columns."""
    if not path.is_file():
        raise InvalidInputError(
            f"benchmark file {path} not found", [Problem("file not found", file=str(path))]
        )
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise InvalidInputError(
                f"benchmark file {path.name} lacks columns",
                [Problem(f"missing column {c}", file=str(path)) for c in missing],
            )
        return list(reader)


def read_span_annotations(path: Path) -> list[LabelledText]:
    """TECH/HOUSE annotations grouped by sentence, in order of first appearance."""
    grouped: dict[str, set[str]] = {}
    for row in _rows(path, ("sentence", "label")):
        labels = grouped.setdefault(row["sentence"], set())
        label = row["label"].strip()
        if label and label not in DROPPED_LABELS:
            labels.add(label)
    return [LabelledText(text, frozenset(labels)) for text, labels in grouped.items()]


def read_skillskape(path: Path) -> list[LabelledText]:
    """SkillSkape sentences with their skill lists (`UNK` dropped)."""
    result = []
    for number, row in enumerate(_rows(path, ("sentence", "skills")), start=2):
        try:
            labels = ast.literal_eval(row["skills"])
        except (ValueError, SyntaxError):
            raise InvalidInputError(
                f"unreadable skill list in {path.name}",
                [Problem("not a list of labels", file=str(path), row=number, column="skills")],
            ) from None
        if not isinstance(labels, list):
            raise InvalidInputError(
                f"unreadable skill list in {path.name}",
                [Problem("not a list of labels", file=str(path), row=number, column="skills")],
            )
        gold = frozenset(str(label) for label in labels) - DROPPED_LABELS
        result.append(LabelledText(row["sentence"], gold))
    return result


def read_skill_set(directory: Path, name: str) -> list[LabelledText]:
    """One of the named evaluation sets (TECH, HOUSE, SkillSkape) from the benchmark folder."""
    file = SKILL_SETS.get(name)
    if file is None:
        raise InvalidInputError(
            f"unknown benchmark {name!r}", [Problem(f"must be one of {', '.join(SKILL_SETS)}")]
        )
    path = directory / file
    return read_skillskape(path) if name == "SkillSkape" else read_span_annotations(path)


def read_titles(path: Path) -> list[LabelledText]:
    """Job titles with their one ESCO occupation label."""
    return [
        LabelledText(row["text"].strip(), frozenset({row["label"].strip()}))
        for row in _rows(path, ("text", "label"))
    ]
