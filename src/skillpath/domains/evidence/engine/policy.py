"""The consolidation policy: how much each source, age and agreement count (pure data)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

SOURCES: tuple[str, ...] = (
    "self",
    "manager",
    "peer",
    "assessment",
    "certification",
    "learning",
    "project",
    "inferred",
)
SOURCE_CODE: Mapping[str, int] = MappingProxyType({name: code for code, name in enumerate(SOURCES)})
LEARNING = SOURCE_CODE["learning"]

DEFAULT_RELIABILITY: Mapping[str, float] = MappingProxyType(
    {
        "assessment": 1.0,
        "certification": 0.9,
        "manager": 0.7,
        "project": 0.6,
        "learning": 0.55,
        "peer": 0.5,
        "self": 0.35,
        "inferred": 0.15,
    }
)
DEFAULT_HALF_LIFE_DAYS: Mapping[str, float] = MappingProxyType(
    {
        "tool": 365.0,
        "skill": 730.0,
        "knowledge": 1095.0,
        "competence": 1460.0,
        "language": 1825.0,
    }
)


@dataclass(frozen=True)
class ConsolidationPolicy:
    """Explicit, documented weights of the consolidation (see docs/consolidation.md).

    - `reliability[source]` in (0, 1]: how much one piece of evidence of that source counts.
    - `half_life_days[kind]`: evidence loses half its weight every half-life (per skill kind).
    - `saturation_weight`: the total evidence weight at which the amount of evidence reaches
      1 − 1/e of full confidence.
    - `agreement_share` in [0, 1]: how much of the confidence depends on sources agreeing.
    - `learning_sets_floor`: a learning completion lifts the level at least to what it teaches.
    """

    reliability: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_RELIABILITY))
    half_life_days: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_HALF_LIFE_DAYS)
    )
    default_half_life_days: float = 730.0
    saturation_weight: float = 1.0
    agreement_share: float = 0.5
    learning_sets_floor: bool = True

    def __post_init__(self) -> None:
        """Refuse policies that would break the engine's guarantees."""
        for source in SOURCES:
            value = self.reliability.get(source)
            if value is None or not 0.0 < value <= 1.0:
                raise ValueError(f"reliability of {source!r} must be in (0, 1], got {value!r}")
        for kind, days in self.half_life_days.items():
            if not days > 0:
                raise ValueError(f"half-life of {kind!r} must be positive, got {days!r}")
        if not self.default_half_life_days > 0:
            raise ValueError("default half-life must be positive")
        if not self.saturation_weight > 0:
            raise ValueError("saturation weight must be positive")
        if not 0.0 <= self.agreement_share <= 1.0:
            raise ValueError("agreement share must be in [0, 1]")

    def reliability_by_code(self) -> tuple[float, ...]:
        """Reliability indexed by source code."""
        return tuple(float(self.reliability[s]) for s in SOURCES)

    def half_life_for(self, kind: str) -> float:
        """The half-life of a skill kind in days."""
        return float(self.half_life_days.get(kind, self.default_half_life_days))
