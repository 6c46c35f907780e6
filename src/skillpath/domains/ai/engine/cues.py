"""Level and importance cues in the words around a skill ("expert in", "basic", "nice to have").

Role descriptions say how well a skill is needed and whether it is a must; course descriptions
say how far they take a learner. The cue nearest to the skill's span in its sentence wins (a
sentence may name several skills at different levels); without a cue the caller's default holds.
Levels are latent values in [0, 1] (5-point scale: 0.2 Awareness … 1.0 Expert).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LEVEL_CUES: tuple[tuple[str, float], ...] = (
    (r"awareness of|aware of|exposure to|some familiarity|familiarity with|familiar with", 0.2),
    (
        r"basic|basics|beginner|foundational|foundations?|fundamentals?|introduct\w*|entry[- ]level"
        r"|elementary|a first",
        0.4,
    ),
    (
        r"working knowledge|hands[- ]on|practical|intermediate|solid|good knowledge"
        r"|good understanding|proficien\w*|competent|sound knowledge",
        0.6,
    ),
    (r"advanced|strong|deep|extensive|in[- ]depth|senior|thorough|excellent|significant", 0.8),
    (r"expert\w*|mastery|master|authority|guru|world[- ]class", 1.0),
)
"""(pattern, level): the words that say how well a skill is held or taught."""

ESSENTIAL_CUES = (
    r"must|required|requires|requirement|essential|mandatory|necessary|need to|needs to"
    r"|requirements|you have|you will have|proven"
)
OPTIONAL_CUES = (
    r"nice to have|nice-to-have|a plus|is a plus|an advantage|advantageous|bonus|preferred"
    r"|preferably|desirable|ideally|would be great|optional|beneficial|not required"
)
ESSENTIAL_IMPORTANCE = 1.0
OPTIONAL_IMPORTANCE = 0.5

_LEVELS = [
    (re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), level) for pattern, level in LEVEL_CUES
]
_ESSENTIAL = re.compile(rf"\b(?:{ESSENTIAL_CUES})\b", re.IGNORECASE)
_OPTIONAL = re.compile(rf"\b(?:{OPTIONAL_CUES})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue found in a sentence: its value and the characters it spans."""

    value: float
    start: int
    end: int
    words: str


def _distance(start: int, end: int, span_start: int, span_end: int) -> int:
    """Characters between a cue and a span (0 when they overlap)."""
    if end <= span_start:
        return span_start - end
    if start >= span_end:
        return start - span_end
    return 0


_CLAUSE_BREAK = re.compile(r"[,;:()\[\]]")


def _same_clause(sentence: str, start: int, end: int, span_start: int, span_end: int) -> bool:
    """True when no comma, semicolon, colon or bracket stands between a cue and a span."""
    low, high = (end, span_start) if end <= span_start else (span_end, start)
    return low >= high or _CLAUSE_BREAK.search(sentence, low, high) is None


def _nearest(sentence: str, cues: list[Cue], span_start: int, span_end: int) -> Cue | None:
    """The cue of the span's own clause closest to it, else the closest in the sentence; on a
    tie the one before it (cues usually precede)."""
    if not cues:
        return None
    return min(
        cues,
        key=lambda cue: (
            not _same_clause(sentence, cue.start, cue.end, span_start, span_end),
            _distance(cue.start, cue.end, span_start, span_end),
            cue.start,
        ),
    )


def level_cues(sentence: str) -> list[Cue]:
    """Every level cue in a sentence, in order."""
    found = [
        Cue(level, match.start(), match.end(), match.group(0))
        for pattern, level in _LEVELS
        for match in pattern.finditer(sentence)
    ]
    return sorted(found, key=lambda cue: cue.start)


def importance_cues(sentence: str) -> list[Cue]:
    """Every importance cue in a sentence, in order ("nice to have" wins over "have")."""
    optional = [
        Cue(OPTIONAL_IMPORTANCE, m.start(), m.end(), m.group(0))
        for m in _OPTIONAL.finditer(sentence)
    ]
    taken = [(cue.start, cue.end) for cue in optional]
    essential = [
        Cue(ESSENTIAL_IMPORTANCE, m.start(), m.end(), m.group(0))
        for m in _ESSENTIAL.finditer(sentence)
        if not any(start <= m.start() < end for start, end in taken)
    ]
    return sorted(optional + essential, key=lambda cue: cue.start)


def level_for(sentence: str, span_start: int, span_end: int, default: float) -> tuple[float, str]:
    """The level a sentence gives the skill at the span, and the cue words ("" for the default)."""
    if not 0.0 < default <= 1.0:
        raise ValueError("the default level must be in (0, 1]")
    cue = _nearest(sentence, level_cues(sentence), span_start, span_end)
    return (cue.value, cue.words) if cue is not None else (default, "")


def importance_for(
    sentence: str, span_start: int, span_end: int, default: float = ESSENTIAL_IMPORTANCE
) -> tuple[float, str]:
    """The importance a sentence gives the skill at the span (1.0 essential, 0.5 nice to have),
    and the cue words ("" for the default)."""
    if not 0.0 <= default <= 1.0:
        raise ValueError("the default importance must be in [0, 1]")
    cue = _nearest(sentence, importance_cues(sentence), span_start, span_end)
    return (cue.value, cue.words) if cue is not None else (default, "")


HEADING_WORDS = 6
"""A line of at most this many words with an importance cue is a heading ("Nice to have:")."""


def section_importances(sentences: list[str], default: float = ESSENTIAL_IMPORTANCE) -> list[float]:
    """The importance each sentence of a document inherits from the heading above it.

    A short line holding an importance cue ("Requirements:", "Nice to have") sets the default
    of the sentences that follow, until the next such heading.
    """
    current = default
    inherited = []
    for sentence in sentences:
        cues = importance_cues(sentence)
        if cues and len(sentence.split()) <= HEADING_WORDS:
            current = cues[-1].value
        inherited.append(current)
    return inherited
