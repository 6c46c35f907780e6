"""A real browser (Debian's chromium through Playwright) logs in as HR, a manager and an
employee and checks each home page, at a laptop and a phone width; screenshots go to
test-artifacts/ for people to look at."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from skillpath.migrations import upgrade_to_head
from tests.web.browser import ARTIFACTS, CHROMIUM_ARGS, chromium, serve
from tests.web.conftest import seed_world
from tests.web.world import PASSWORD, World

WIDTHS = {"desktop": (1280, 900), "phone": (375, 812)}
EXPECTED_ANSWERS = {
    "hr": "5 active people in 2 countries",
    "manager": "You lead 2 people",
    "employee": "You work as Data Analyst in Data",
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, World]]:
    """The app on a seeded SQLite database, served by uvicorn in a background thread."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'skillpath.db'}"
    upgrade_to_head(url)
    world = seed_world(url)
    with serve(url) as base_url:
        yield base_url, world


@pytest.mark.browser
@pytest.mark.parametrize("who", ["hr", "manager", "employee"])
def test_home_page_in_a_real_browser(served: tuple[str, World], who: str) -> None:
    """Log in through the form, land on the home page with its answer, at two widths."""
    executable = chromium()
    from playwright.sync_api import sync_playwright

    base_url, world = served
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            for label, (width, height) in WIDTHS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height}, base_url=base_url
                )
                page = context.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda error, sink=errors: sink.append(str(error)))
                page.goto("/")
                assert "/login" in page.url
                page.get_by_label("E-mail").fill(world.emails[who])
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Log in").click()
                page.wait_for_url(f"{base_url}/")
                answer = page.locator(".answer").first
                assert EXPECTED_ANSWERS[who] in " ".join(answer.inner_text().split())
                assert page.locator("h1").count() == 1
                assert page.locator(".tile").count() >= 3
                # Nothing may stick out sideways at phone width (tables scroll inside a wrapper).
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 1, f"{who} home is {overflow}px too wide at {width}px"
                page.screenshot(path=str(ARTIFACTS / f"home-{who}-{label}.png"), full_page=True)
                assert errors == []
                context.close()
        finally:
            browser.close()


@pytest.mark.browser
def test_live_search_and_role_chart(served: tuple[str, World]) -> None:
    """Typing in the directory search swaps the results without a reload; the role chart draws."""
    executable = chromium()
    from playwright.sync_api import sync_playwright

    base_url, world = served
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport={"width": 1280, "height": 900}, base_url=base_url
            )
            page = context.new_page()
            page.goto("/login")
            page.get_by_label("E-mail").fill(world.emails["hr"])
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(f"{base_url}/")
            page.goto("/people")
            page.evaluate("window.__sameDocument = true")
            page.get_by_label("Search").first.fill("seller")
            page.wait_for_function(
                "document.querySelector('#people-results').innerText.includes('1 person found')"
            )
            assert page.evaluate("window.__sameDocument") is True  # swapped, not reloaded
            assert "q=seller" in page.url  # and the URL can be shared or reloaded
            page.screenshot(path=str(ARTIFACTS / "people-search.png"), full_page=True)
            page.goto(f"/roles/{world.ids['analyst_role']}")
            page.wait_for_selector("#profile-chart svg")
            page.screenshot(path=str(ARTIFACTS / "role-profile.png"), full_page=True)
            context.close()
        finally:
            browser.close()
