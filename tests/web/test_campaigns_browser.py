"""A campaign in a real browser on a small retail demo: HR builds and launches it with the form,
the demo employee rates themselves with the keyboard, HR sees the completion chart and closes
it, and the answers show up as evidence. Screenshots go to test-artifacts/campaign-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from skillpath.core.clock import today
from skillpath.db.session import make_engine, make_session_factory, transaction
from skillpath.demo.build import DemoLogin, build_company
from skillpath.migrations import upgrade_to_head
from tests.web.browser import ARTIFACTS, CHROMIUM_ARGS, chromium, serve


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[DemoLogin]]]:
    """A small seeded retail demo as of today (campaign deadlines must lie ahead), served."""
    url = f"sqlite:///{tmp_path_factory.mktemp('campaign-browser') / 'skillpath.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        summary = build_company(session, scenario="retail", employees=200, seed=11, as_of=today())
    engine.dispose()
    with serve(url) as base_url:
        yield base_url, summary.logins


@pytest.mark.browser
def test_a_campaign_from_the_form_to_evidence(demo_site: tuple[str, list[DemoLogin]]) -> None:
    """The whole loop through the pages, with no script errors on the way."""
    executable = chromium()
    from playwright.sync_api import Page, sync_playwright

    base_url, logins = demo_site
    by_role = {login.role: login for login in logins}
    ARTIFACTS.mkdir(exist_ok=True)

    def log_in(page: Page, role: str) -> None:
        page.goto("/login")
        page.get_by_label("E-mail").fill(by_role[role].email)
        page.get_by_label("Password").fill(by_role[role].password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{base_url}/")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport={"width": 1280, "height": 900}, base_url=base_url
            )
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            log_in(page, "hr_admin")
            page.get_by_role("link", name="Campaigns").click()
            page.get_by_role("link", name="New campaign").click()
            page.get_by_label("Name shown to raters").fill("Support skills check")
            page.get_by_label("Filter units").fill("Customer Experience")
            page.locator("#unit-list label", has_text="Customer Experience").first.click()
            page.get_by_label("Peers from the same team (0–5)").fill("1")
            deadline = (today() + timedelta(days=10)).isoformat()
            page.get_by_label("Deadline (last day to answer)").fill(deadline)
            page.get_by_role("button", name="Save draft").click()
            answer = page.locator(".answer").inner_text()
            assert "Launched today, this campaign would rate" in answer
            page.get_by_role("button", name="Launch now").click()
            assert "of the tasks are submitted" in page.locator(".answer").inner_text()
            campaign_url = page.url.split("?")[0]
            page.get_by_role("button", name="Log out").click()

            log_in(page, "employee")
            menu = page.get_by_role("navigation", name="Main")
            assert menu.get_by_role("link", name="My tasks (").count() == 1
            menu.get_by_role("link", name="My tasks (").click()
            page.locator("tr", has_text="Yourself").get_by_role("link").click()
            rows = page.locator("fieldset.rate-row")
            skills = rows.count()
            assert skills > 0
            for index in range(skills):
                # Keyboard only: focus the row's first level, move right twice (level 3).
                rows.nth(index).locator("input[type=radio]").first.focus()
                page.keyboard.press("ArrowRight")
                page.keyboard.press("ArrowRight")
            page.screenshot(path=str(ARTIFACTS / "campaign-rating-form.png"))
            page.get_by_role("button", name="Submit").click()
            page.wait_for_url(f"{base_url}/tasks?submitted=1")
            page.screenshot(path=str(ARTIFACTS / "campaign-my-tasks.png"), full_page=True)
            page.get_by_role("button", name="Log out").click()

            log_in(page, "hr_admin")
            page.goto(campaign_url)
            page.wait_for_selector("#unit-chart svg")
            page.screenshot(path=str(ARTIFACTS / "campaign-completion.png"), full_page=True)
            page.get_by_role("button", name="Close and record the answers").click()
            closed = page.locator(".answer").inner_text()
            added = f"{skills} pieces of" if skills > 1 else "1 piece of"
            assert f"Their answers added {added} skill evidence." in closed
            assert errors == []
            context.close()
        finally:
            browser.close()
