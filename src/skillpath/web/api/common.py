"""Shared API shapes: the paginated list envelope and pagination parameters."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

MAX_LIMIT = 500
T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="How many items to return")]
Offset = Annotated[int, Query(ge=0, description="How many items to skip")]


class Page(BaseModel, Generic[T]):
    """A page of a list: the items and the total number matching the query."""

    items: list[T]
    total: int
    limit: int
    offset: int
