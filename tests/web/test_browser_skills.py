"""My skills and the validation queue in a real browser: Rui opens "Why?", finds a skill by
typing, rates it and sets an intent; Max adjusts the rating from his queue; Rui sees the
decision and the moved level. Keyboard and phone width checked too; screenshots go to
test-artifacts/skills-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session

from skillpath.db.session import make_engine
from skillpath.domains.evidence import service
from skillpath.migrations import upgrade_to_head
from tests.web.browser import ARTIFACTS, CHROMIUM_ARGS, chromium, serve
from tests.web.conftest import seed_world
from tests.web.world import PASSWORD, World


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, World]]:
    """The app on a seeded SQLite database with profiles built."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser-skills') / 'skillpath.db'}"
    upgrade_to_head(url)
    world = seed_world(url)
    engine = make_engine(url)
    with Session(engine) as session:
        service.rebuild_profiles(session)
        session.commit()
    engine.dispose()
    with serve(url) as base_url:
        yield base_url, world


def _log_in(page: Any, base_url: str, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")


@pytest.mark.browser
def test_rate_explain_and_validate_in_a_browser(served: tuple[str, World]) -> None:
    """The whole loop through the pages, with no script error on the way."""
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
            page.get_by_role("link", name="My skills").click()
            page.wait_for_url(f"{base_url}/my-skills")
            assert "SQL" in page.locator(".answer").inner_text()
            why = page.locator(f'a[data-why="{world.ids["sql"]}"]')
            why.focus()
            page.keyboard.press("Enter")
            page.wait_for_selector(".why")
            assert why.get_attribute("aria-expanded") == "true"
            assert "Max Manager" in page.locator(".why").inner_text()
            page.screenshot(path=str(ARTIFACTS / "skills-why.png"), full_page=True)
            page.get_by_role("button", name="Hide").click()
            assert page.locator(".why").count() == 0

            page.get_by_label("Find the skill").fill("pyth")
            page.locator("#skill-options").get_by_label("Python (computer programming)").check()
            page.get_by_label("4 · Advanced").check()
            page.get_by_label("Note (optional): where did this skill show?").fill("Churn model")
            page.get_by_role("button", name="Save rating").click()
            page.wait_for_url(f"{base_url}/my-skills")
            notice = page.get_by_role("status").first.inner_text()
            assert "you rated yourself Advanced (4/5) in Python" in notice
            page.get_by_label("What you want to do with SQL").select_option("develop")
            page.wait_for_selector(".saved")
            context.close()

            context = browser.new_context(
                viewport={"width": 1280, "height": 900}, base_url=base_url
            )
            page = context.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            _log_in(page, base_url, world.emails["manager"])
            page.get_by_role("link", name="Validation (1)").click()
            assert "Churn model" in page.locator("table.queue").inner_text()
            page.screenshot(path=str(ARTIFACTS / "skills-validation.png"), full_page=True)
            row = page.locator("form.decide").first
            row.get_by_label("Adjust to").check()
            row.get_by_label("Adjusted level").select_option("3")
            row.get_by_label("Comment (needed to adjust or decline)").fill("Pair on tests first.")
            row.get_by_role("button", name="Save decision").click()
            page.wait_for_url(f"{base_url}/validation")
            assert "Nothing waits for you." in page.locator(".answer").inner_text()
            context.close()

            context = browser.new_context(viewport={"width": 375, "height": 812}, base_url=base_url)
            page = context.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            _log_in(page, base_url, world.emails["employee"])
            page.goto("/my-skills")
            assert "Pair on tests first." in page.locator("#requests + .table-wrap").inner_text()
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, width
            page.screenshot(path=str(ARTIFACTS / "skills-phone.png"), full_page=True)
            context.close()
        finally:
            browser.close()
    assert errors == []
