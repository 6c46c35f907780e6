"""Level and importance cues around a skill's span."""

from __future__ import annotations

import pytest

from skillpath.domains.ai.engine.cues import importance_for, level_for, section_importances


def span(sentence: str, words: str) -> tuple[int, int]:
    """Where some words stand in a sentence."""
    start = sentence.index(words)
    return start, start + len(words)


@pytest.mark.parametrize(
    ("sentence", "skill", "level"),
    [
        ("Basic knowledge of SQL", "SQL", 0.4),
        ("Working knowledge of Python", "Python", 0.6),
        ("You are an expert in Java", "Java", 1.0),
        ("Advanced Excel skills", "Excel", 0.8),
        ("Some familiarity with Tableau", "Tableau", 0.2),
        ("Python", "Python", 0.5),
    ],
)
def test_level_cues(sentence: str, skill: str, level: float) -> None:
    """Level cues."""
    assert level_for(sentence, *span(sentence, skill), default=0.5)[0] == level


def test_the_nearest_cue_wins() -> None:
    """The nearest cue wins."""
    sentence = "Expert Java developer with basic knowledge of SQL"
    assert level_for(sentence, *span(sentence, "Java"), default=0.5)[0] == 1.0
    assert level_for(sentence, *span(sentence, "SQL"), default=0.5)[0] == 0.4


def test_importance_cues() -> None:
    """Importance cues."""
    sentence = "Python is a must, Tableau is nice to have"
    assert importance_for(sentence, *span(sentence, "Python"))[0] == 1.0
    assert importance_for(sentence, *span(sentence, "Tableau"))[0] == 0.5
    assert importance_for("Knows Excel", 0, 5, default=0.7) == (0.7, "")


def test_headings_set_the_importance_of_what_follows() -> None:
    """Headings set the importance of what follows."""
    lines = ["Requirements:", "SQL", "Nice to have:", "Python", "Tableau"]
    assert section_importances(lines) == [1.0, 1.0, 0.5, 0.5, 0.5]


def test_defaults_are_checked() -> None:
    """Defaults are checked."""
    with pytest.raises(ValueError, match="default level"):
        level_for("x", 0, 1, default=0.0)
    with pytest.raises(ValueError, match="default importance"):
        importance_for("x", 0, 1, default=2.0)
