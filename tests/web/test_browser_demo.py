"""The demo company in a real browser: each printed login signs in through the form, lands on a
home page built from the demo's data, and can open the pages of its navigation.

This is the first thing an evaluator does after `make demo`, so it runs on a real (small)
retail demo, not on test factories. Screenshots go to test-artifacts/demo-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from skillpath.db.session import make_engine, make_session_factory, transaction
from skillpath.demo.build import DemoLogin, build_company
from skillpath.migrations import upgrade_to_head
from tests.web.browser import ARTIFACTS, CHROMIUM_ARGS, chromium, serve

AS_OF = date(2026, 6, 30)
# What each role's home page answers first (UI.md: "answer first").
EXPECTED = {
    "hr_admin": "active people in",
    "executive": "active people in",
    "manager": "You lead",
    "employee": "Customer Support Rep",
}


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[DemoLogin]]]:
    """A small seeded retail demo, served on a free port."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo-browser') / 'skillpath.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        summary = build_company(session, scenario="retail", employees=200, seed=7, as_of=AS_OF)
    engine.dispose()
    with serve(url) as base_url:
        yield base_url, summary.logins


@pytest.mark.browser
def test_each_demo_login_reaches_its_home_page(demo_site: tuple[str, list[DemoLogin]]) -> None:
    """HR admin, executive, manager and employee: log in, read the answer, open every menu item."""
    executable = chromium()
    from playwright.sync_api import sync_playwright

    base_url, logins = demo_site
    assert {login.role for login in logins} == set(EXPECTED)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            for login in logins:
                context = browser.new_context(
                    viewport={"width": 1280, "height": 900}, base_url=base_url
                )
                page = context.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda error, sink=errors: sink.append(str(error)))
                page.goto("/")
                page.get_by_label("E-mail").fill(login.email)
                page.get_by_label("Password").fill(login.password)
                page.get_by_role("button", name="Log in").click()
                page.wait_for_url(f"{base_url}/")
                answer = " ".join(page.locator(".answer").first.inner_text().split())
                assert EXPECTED[login.role] in answer, (login.role, answer)
                page.screenshot(path=str(ARTIFACTS / f"demo-home-{login.role}.png"), full_page=True)
                links = page.locator("nav[aria-label] a")
                targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
                assert len(targets) >= 4
                for target in targets:
                    assert target is not None
                    response = page.goto(target)
                    assert response is not None
                    assert response.status == 200, (login.role, target, response.status)
                    assert page.locator("h1").count() == 1, (login.role, target)
                assert errors == [], (login.role, errors)
                page.get_by_role("button", name="Log out").click()
                page.wait_for_url(f"{base_url}/login")
                context.close()
        finally:
            browser.close()


@pytest.mark.browser
def test_employee_cannot_open_a_colleagues_profile(
    demo_site: tuple[str, list[DemoLogin]],
) -> None:
    """The employee's browser gets 404 for the manager's profile page (no existence leak)."""
    executable = chromium()
    from playwright.sync_api import sync_playwright

    base_url, logins = demo_site
    by_role = {login.role: login for login in logins}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(base_url=base_url)
            page = context.new_page()
            page.goto("/login")
            page.get_by_label("E-mail").fill(by_role["manager"].email)
            page.get_by_label("Password").fill(by_role["manager"].password)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(f"{base_url}/")
            manager_profile = page.get_by_role("link", name="My profile").get_attribute("href")
            page.get_by_role("button", name="Log out").click()
            page.wait_for_url(f"{base_url}/login")
            page.get_by_label("E-mail").fill(by_role["employee"].email)
            page.get_by_label("Password").fill(by_role["employee"].password)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(f"{base_url}/")
            assert manager_profile is not None
            response = page.goto(manager_profile)
            assert response is not None
            assert response.status == 404
            context.close()
        finally:
            browser.close()
