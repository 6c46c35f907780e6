"""The organisation's display scale (`SKILLPATH_DISPLAY_SCALE`) as a request dependency."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from skillpath.core.levels import DEFAULT_SCALE, SCALES, DisplayScale
from skillpath.web.deps import get_settings


def display_scale(request: Request) -> DisplayScale:
    """The display scale levels are shown and entered on (the 5-point scale by default)."""
    return SCALES.get(get_settings(request).display_scale, DEFAULT_SCALE)


OrgScale = Annotated[DisplayScale, Depends(display_scale)]
