"""The path builder and My path in a real browser: Rui builds a move to Sales Rep by keyboard,
the preview swaps in without a reload and takes the focus, saving opens the draft; at phone width
nothing scrolls sideways. Screenshots go to test-artifacts/paths-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from skillpath.migrations import upgrade_to_head
from tests.web.browser import ARTIFACTS, CHROMIUM_ARGS, chromium, serve
from tests.web.conftest import seed_world
from tests.web.test_paths_pages import WORKSHOP, add_path_catalog
from tests.web.world import PASSWORD, World


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, World]]:
    """The app on a seeded SQLite database with profiles and the path catalog."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser-paths') / 'skillpath.db'}"
    upgrade_to_head(url)
    world = seed_world(url)
    add_path_catalog(url, world)
    with serve(url) as base_url:
        yield base_url, world


def _log_in(page: Any, base_url: str, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")


@pytest.mark.browser
def test_build_preview_and_save_in_a_browser(served: tuple[str, World]) -> None:
    """From the menu to a saved draft, with no script error on the way."""
    executable = chromium()
    from playwright.sync_api import sync_playwright

    base_url, world = served
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport={"width": 1280, "height": 900}, base_url=base_url
            )
            page = context.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            _log_in(page, base_url, world.emails["employee"])
            page.get_by_role("link", name="My path", exact=True).click()
            page.wait_for_url(f"{base_url}/paths/me")
            page.get_by_role("link", name="Build my path").click()
            page.wait_for_url(f"{base_url}/paths/new")
            goals = page.locator("#field-goals")
            assert goals.is_hidden()  # upskilling needs no goals: the script hides them
            page.get_by_label("Move to another role").check()
            assert goals.is_hidden()
            page.get_by_label("Skills I want to develop").check()
            assert goals.is_visible()
            page.get_by_label("Move to another role").check()
            page.get_by_label("Target role", exact=True).select_option(label="Sales Rep")
            page.get_by_role("button", name="Preview").focus()
            page.keyboard.press("Enter")
            page.wait_for_selector("#preview-title")
            assert page.url == f"{base_url}/paths/new"  # swapped in place, nothing saved
            assert page.evaluate("document.activeElement.id") == "preview-title"
            assert WORKSHOP in page.locator(".timeline").inner_text()
            assert page.locator(".trade-offs tbody tr").count() == 4
            page.screenshot(path=str(ARTIFACTS / "paths-preview.png"), full_page=True)

            page.get_by_label("Target role", exact=True).select_option(index=0)
            page.get_by_role("button", name="Preview").click()
            page.wait_for_selector("#builder-errors")
            assert page.evaluate("document.activeElement.id") == "builder-errors"
            refused = page.locator("#error-target_role_id").inner_text()
            assert "a target role is needed to reskill" in refused
            assert page.locator("#preview-title").count() == 0

            page.get_by_label("Target role", exact=True).select_option(label="Sales Rep")
            page.locator("#path-form").get_by_role("button", name="Save as draft").click()
            page.wait_for_url(f"{base_url}/paths/*")
            assert "Saved as a draft" in page.locator(".flash").inner_text()
            assert page.get_by_role("button", name="Send to my manager").is_visible()

            page.set_viewport_size({"width": 360, "height": 800})
            page.goto("/paths/me")
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
            page.screenshot(path=str(ARTIFACTS / "paths-mine-phone.png"), full_page=True)
        finally:
            browser.close()
    assert errors == []
