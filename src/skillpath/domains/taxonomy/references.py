"""Resolve skill references of imported files (an external id, optionally with a source key)."""

from __future__ import annotations

from collections.abc import Iterable


class SkillIndex:
    """Every skill by external id and taxonomy source, to turn file references into ids."""

    def __init__(self, keys: Iterable[tuple[int, str, str]]) -> None:
        self.by_external_id: dict[str, dict[str, int]] = {}
        for skill_id, source_key, external_id in keys:
            self.by_external_id.setdefault(external_id, {})[source_key] = skill_id

    def resolve(self, external_id: str, source_key: str = "") -> int | str:
        """The id of the skill, or the reason (for a problem report) it cannot be found."""
        if not external_id:
            return "is required but empty"
        by_source = self.by_external_id.get(external_id)
        if not by_source:
            return "no skill has this external id (import the taxonomy first)"
        if source_key:
            found = by_source.get(source_key)
            if found is None:
                return f"no skill of source {source_key!r} has this external id"
            return found
        if len(by_source) > 1:
            return (
                "several taxonomies have a skill with this id; name one in the skill_source "
                f"column ({', '.join(sorted(by_source))})"
            )
        return next(iter(by_source.values()))
