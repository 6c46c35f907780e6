"""Helpers of the HTML routes: pagination links and lenient form values."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from skillpath.core.errors import InvalidInputError
from skillpath.web.pages.common import offset_of, optional_bool, optional_int, pager, wants_fragment


def _request(query: str, headers: dict[str, str] | None = None) -> Request:
    return Request(
        {
            "type": "http",
            "method": "GET",
            "path": "/people",
            "query_string": query.encode(),
            "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        }
    )


def test_pager_links_keep_filters_and_drop_empty_values() -> None:
    """Next/previous keep every non-empty parameter and move the offset."""
    middle = pager(_request("q=ann&unit_id=&offset=50"), total=120, limit=50, offset=50)
    assert (middle.first, middle.last) == (51, 100)
    assert middle.previous_url == "/people?q=ann"
    assert middle.next_url == "/people?q=ann&offset=100"
    last = pager(_request("q=ann&offset=100"), total=120, limit=50, offset=100)
    assert (last.last, last.next_url) == (120, None)
    empty = pager(_request(""), total=0, limit=50, offset=0)
    assert (empty.first, empty.previous_url, empty.next_url) == (0, None, None)


def test_form_values() -> None:
    """Empty means "any"; garbage is an InvalidInputError naming the field."""
    assert optional_int("", "unit_id") is None
    assert optional_int(" 7 ", "unit_id") == 7
    assert optional_bool("on", "former") is True
    assert optional_bool("false", "former") is False
    assert optional_bool(None, "former") is None
    assert offset_of(None) == 0
    with pytest.raises(InvalidInputError) as error:
        optional_int("seven", "unit_id")
    assert error.value.problems[0].column == "unit_id"
    with pytest.raises(InvalidInputError):
        optional_int("-1", "offset")
    with pytest.raises(InvalidInputError):
        optional_bool("maybe", "former")


def test_fragment_only_for_the_named_htmx_target() -> None:
    """A live search gets the fragment; a history restore or another target the full page."""
    htmx = {"HX-Request": "true", "HX-Target": "people-results"}
    assert wants_fragment(_request("", htmx), "people-results")
    assert not wants_fragment(_request("", htmx), "skill-results")
    assert not wants_fragment(
        _request("", {**htmx, "HX-History-Restore-Request": "true"}), "people-results"
    )
    assert not wants_fragment(_request(""), "people-results")
