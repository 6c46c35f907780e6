"""Proficiency: one latent value in [0, 1] and its published mappings to display scales.

A display scale with levels 1..n (or 0..n) maps level k to the latent value k / n, and a latent
value back to the nearest level. Keeping a single latent value lets evidence from any source and
any scale be combined, compared and averaged.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DisplayScale:
    """A display scale: codes, labels and the latent value each level stands for."""

    code: str
    name: str
    minimum: int
    maximum: int
    labels: tuple[str, ...]
    descriptors: tuple[str, ...]

    def to_latent(self, level: float) -> float:
        """Latent value of a (possibly fractional) display level; raises on out-of-range input."""
        if not self.minimum <= level <= self.maximum:
            raise ValueError(
                f"level {level} is outside the {self.name} scale ({self.minimum}–{self.maximum})"
            )
        return float(level) / self.maximum

    def from_latent(self, value: float) -> int:
        """Nearest display level of a latent value (0 maps to the scale minimum)."""
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"latent level {value} is outside [0, 1]")
        level = round(value * self.maximum)
        return max(self.minimum, min(self.maximum, level))

    def label(self, value: float) -> str:
        """Label of the nearest display level of a latent value."""
        level = self.from_latent(value)
        return self.labels[level - self.minimum]


FIVE_POINT = DisplayScale(
    code="five_point",
    name="5-point",
    minimum=1,
    maximum=5,
    labels=("Awareness", "Beginner", "Intermediate", "Advanced", "Expert"),
    descriptors=(
        "Knows what it is and when it applies",
        "Applies it with guidance on simple tasks",
        "Applies it independently on routine work",
        "Handles complex cases and guides others",
        "Recognised authority; shapes practice across the organisation",
    ),
)

SFIA = DisplayScale(
    code="sfia",
    name="SFIA 1–7",
    minimum=1,
    maximum=7,
    labels=(
        "1 Follow",
        "2 Assist",
        "3 Apply",
        "4 Enable",
        "5 Ensure, advise",
        "6 Initiate, influence",
        "7 Set strategy, inspire",
    ),
    descriptors=(
        "Works under close direction",
        "Works under routine direction",
        "Works under general direction",
        "Works under general direction with substantial responsibility",
        "Works under broad direction; accountable for significant outcomes",
        "Has significant organisational influence",
        "Works at the highest organisational level",
    ),
)

ONET = DisplayScale(
    code="onet",
    name="O*NET level 0–7",
    minimum=0,
    maximum=7,
    labels=tuple(str(k) for k in range(8)),
    descriptors=(
        "Not needed",
        "Very basic",
        "Basic",
        "Some working knowledge",
        "Working knowledge",
        "Advanced working knowledge",
        "Highly advanced",
        "Expert",
    ),
)

SCALES: dict[str, DisplayScale] = {s.code: s for s in (FIVE_POINT, SFIA, ONET)}
DEFAULT_SCALE = FIVE_POINT


def importance_label(importance: float) -> str:
    """Words for an importance weight in [0, 1] as role profiles show it."""
    if importance >= 0.75:
        return "Essential"
    if importance >= 0.45:
        return "Important"
    return "Nice to have"
