"""The rules of an evidence CSV file (docs/import-formats.md), shared by both of its checkers.

The row-by-row checker (evidence_csv.py) and the column checker (evidence_columns.py) parse
cells with these same functions, so they accept the same files and store the same values.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from skillpath.core.levels import SCALES
from skillpath.core.tabular import CellError, parse_unit_interval
from skillpath.domains.evidence.models import EVIDENCE_SOURCES

REQUIRED = ("employee", "skill", "source", "level", "observed_at")
OPTIONAL = ("skill_source", "rater", "scale", "confidence", "expires_on", "note")
KIND = "skill evidence"
DEFAULT_CONFIDENCE = 0.5
MAX_NOTE = 2000
FUTURE_TOLERANCE = timedelta(days=1)
LATENT = "latent"
UNKNOWN_EMPLOYEE = "no employee has this id (import employees first)"
BAD_SOURCE = f"must be one of: {', '.join(EVIDENCE_SOURCES)}"
LONG_NOTE = f"is longer than {MAX_NOTE} characters"
_SOURCES = {source: source for source in EVIDENCE_SOURCES}


def parse_source(text: str) -> str | None:
    """The source word of a stripped cell (any case), or None when it is not one."""
    return _SOURCES.get(text) or _SOURCES.get(text.lower())


def level_parser(scale_text: str) -> Callable[[str], float]:
    """Latent level in [0, 1], or a display level when a scale is named; raises CellError
    (the reason for the scale column) when the scale is unknown."""
    if not scale_text or scale_text.lower() == LATENT:
        return parse_unit_interval
    scale = SCALES.get(scale_text.lower())
    if scale is None:
        raise CellError(f"must be one of: {LATENT} (0–1, the default), {', '.join(SCALES)}")

    def parse(text: str) -> float:
        try:
            display = float(text)
        except ValueError:
            raise CellError(f"is not a level of the {scale.name} scale") from None
        return scale.to_latent(display)

    return parse


def parse_confidence(text: str) -> float:
    """A confidence: above 0 and at most 1."""
    value = parse_unit_interval(text)
    if value == 0:
        raise CellError("must be above 0 (and at most 1)")
    return value
