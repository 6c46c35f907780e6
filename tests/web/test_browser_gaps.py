"""Gap pages in a real browser on a small retail demo: each demo login opens its gap pages, the
ECharts charts draw (SVG), nothing fails in the console, and the brief downloads as a PDF.
Screenshots go to test-artifacts/gaps-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from skillpath.db.session import make_engine, make_session_factory, transaction
from skillpath.demo.build import DemoLogin, build_company
from skillpath.migrations import upgrade_to_head
from tests.web.browser import ARTIFACTS, CHROMIUM_ARGS, chromium, serve

AS_OF = date(2026, 6, 30)
PAGES = {
    "employee": [("/gaps/me", "Your biggest gap"), ("/gaps/me?target_role_id=", "target role")],
    "manager": [("/gaps/team", "biggest gap"), ("/gaps/brief", "Suggested actions")],
    "hr_admin": [("/gaps/org?priority=E-commerce+shift", "E-commerce shift")],
    "executive": [("/gaps/org", "most critical gaps")],
}


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[DemoLogin]]]:
    """A small seeded retail demo (profiles and gap snapshots included), served on a free port."""
    url = f"sqlite:///{tmp_path_factory.mktemp('gaps-browser') / 'skillpath.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        summary = build_company(session, scenario="retail", employees=200, seed=7, as_of=AS_OF)
    engine.dispose()
    with serve(url) as base_url:
        yield base_url, summary.logins


@pytest.mark.browser
def test_gap_pages_draw_for_each_demo_login(demo_site: tuple[str, list[DemoLogin]]) -> None:
    executable = chromium()
    from playwright.sync_api import sync_playwright

    base_url, logins = demo_site
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            for login in logins:
                context = browser.new_context(
                    viewport={"width": 1280, "height": 900},
                    base_url=base_url,
                    accept_downloads=True,
                )
                page = context.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda error, sink=errors: sink.append(str(error)))
                page.goto("/login")
                page.get_by_label("E-mail").fill(login.email)
                page.get_by_label("Password").fill(login.password)
                page.get_by_role("button", name="Log in").click()
                page.wait_for_url(f"{base_url}/")
                for number, (path, words) in enumerate(PAGES[login.role]):
                    if path.endswith("target_role_id="):
                        # Choose the first target role in the form, as a person would.
                        page.goto("/gaps/me")
                        page.get_by_label("Target role").select_option(index=1)
                        page.get_by_role("button", name="Compare").click()
                        page.wait_for_load_state()
                    else:
                        response = page.goto(path)
                        assert response is not None
                        assert response.status == 200, (login.role, path)
                    assert words in page.locator("main").inner_text(), (login.role, path)
                    charts = page.locator("[data-gap-chart]")
                    for index in range(charts.count()):
                        charts.nth(index).locator("svg").first.wait_for(timeout=5000)
                    page.screenshot(
                        path=str(ARTIFACTS / f"gaps-{login.role}-{number}.png"), full_page=True
                    )
                if login.role == "manager":
                    with page.expect_download() as download:
                        page.get_by_role("link", name="Download PDF").click()
                    saved = download.value.path()
                    assert saved is not None
                    with open(saved, "rb") as handle:
                        assert handle.read(5) == b"%PDF-"
                assert errors == [], (login.role, errors)
                context.close()
        finally:
            browser.close()
