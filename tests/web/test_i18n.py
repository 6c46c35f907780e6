"""Translations: every catalog is complete and safe to format, locales are negotiated from
headers with regions (pt-BR), pages speak the reader's language with their number and date
formats, and long German and French words fit the layout in a real browser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from babel.numbers import format_percent
from fastapi.testclient import TestClient

from skillpath.core.levels import DEFAULT_SCALE, importance_label
from skillpath.db.session import make_engine, make_session_factory, transaction
from skillpath.demo.build import DemoLogin, build_company
from skillpath.domains.identity.models import USER_ROLES
from skillpath.migrations import upgrade_to_head
from skillpath.web import i18n
from skillpath.web.errors import PLAIN_MESSAGES, TITLES
from tests.web.browser import ARTIFACTS, CHROMIUM_ARGS, chromium, serve
from tests.web.conftest import csrf_from, log_in
from tests.web.world import World

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = i18n.LOCALE_DIR / "messages.pot"
LOCALES = sorted(p.parent.parent.name for p in i18n.LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
DEMO_DAY = date(2026, 6, 30)


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _key(message: Message) -> tuple[str | None, str]:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return message.context, msgid


def _forms(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


def _placeholders(text: str) -> set[str]:
    return {named or braced for named, braced in PLACEHOLDER.findall(text)}


def translation_problems(message: Message) -> list[str]:
    """What is wrong with one translated message: empty forms, placeholders or markup that differ
    from the English, or a text that Python's %-formatting (which Jinja's `_()` always applies)
    rejects."""
    problems = []
    wanted = set().union(*(_placeholders(text) for text in _ids(message)))
    tags = sorted(TAG.findall(_ids(message)[-1]))
    for form in _forms(message):
        if not form:
            problems.append(f"{message.id!r}: a form is empty")
            continue
        if _placeholders(form) != wanted:
            problems.append(
                f"{message.id!r}: placeholders {sorted(_placeholders(form))} in {form!r}"
            )
        if sorted(TAG.findall(form)) != tags:
            problems.append(f"{message.id!r}: markup differs in {form!r}")
        try:
            form % dict.fromkeys(wanted, "x")
        except (KeyError, ValueError, TypeError) as error:
            problems.append(f"{message.id!r}: {form!r} cannot be formatted ({error})")
    return problems


def test_the_languages_shipped() -> None:
    """English plus Spanish, French, German and Brazilian Portuguese."""
    assert {"de", "es", "fr", "pt_BR"} <= set(LOCALES)
    assert i18n.available_locales()[0] == "en"
    assert set(i18n.available_locales()) == {"en", *LOCALES}


def test_the_template_is_up_to_date() -> None:
    """Every string the sources mark for translation is in messages.pot (run `make messages`,
    then translate the new entries, when this fails)."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = {
        (context, message[0] if isinstance(message, tuple) else message)
        for _, _, message, _, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=DEFAULT_KEYWORDS
        )
    }
    in_template = {_key(m) for m in _read(TEMPLATE) if m.id}
    assert sorted(found - in_template, key=str) == [], "run `make messages`"
    assert sorted(in_template - found, key=str) == [], "run `make messages`"


def test_values_translated_in_templates_are_in_the_template() -> None:
    """Words that reach `_()` as values (level, importance and role names, error titles) have
    entries, so no page shows them in English."""
    ids = {m.id for m in _read(TEMPLATE) if m.id and not isinstance(m.id, tuple)}
    levels = set(DEFAULT_SCALE.labels)
    importances = {importance_label(value) for value in (0.0, 0.5, 1.0)}
    assert levels | importances <= ids
    assert set(TITLES.values()) | set(PLAIN_MESSAGES.values()) <= ids
    roles_with_labels = {"employee", "manager", "hr_admin", "executive"}
    assert set(USER_ROLES) == roles_with_labels, "give the new role a label in base.html"
    assert {"employee", "manager", "HR admin", "executive"} <= ids


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_is_complete(locale: str) -> None:
    """The catalog parses, has exactly the template's entries, none fuzzy and none empty."""
    catalog = _read(i18n.LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po", locale)
    template = {_key(m) for m in _read(TEMPLATE) if m.id}
    entries = {_key(m): m for m in catalog if m.id}
    assert sorted(template - entries.keys(), key=str) == [], "untranslated: run `make messages`"
    assert sorted(entries.keys() - template, key=str) == [], "obsolete entries"
    assert not catalog.fuzzy
    assert [m.id for m in entries.values() if m.fuzzy] == []
    assert [m.id for m in entries.values() if not all(_forms(m))] == []
    assert not catalog.obsolete


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_and_markup_survive_translation(locale: str) -> None:
    """Every `%(name)s` of the English is in every form of the translation, and nothing else."""
    catalog = _read(i18n.LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po", locale)
    problems = [problem for m in catalog if m.id for problem in translation_problems(m)]
    assert problems == []


def test_the_check_catches_a_broken_placeholder() -> None:
    """A translator who writes `%(n)` or renames a placeholder is caught."""
    good = Message("Showing %(shown)s of %(total)s.", "%(shown)s von %(total)s.")
    assert translation_problems(good) == []
    for broken in ("%(shown)s von %(n)s.", "%(shown) von %(total)s.", "100 % von %(total)s"):
        assert translation_problems(Message("Showing %(shown)s of %(total)s.", broken)) != []
    plural = Message(("%(num)s day", "%(num)s days"), ("%(num)s Tag", "Tage"))
    assert translation_problems(plural) != []


@pytest.mark.parametrize("locale", LOCALES)
def test_plural_forms(locale: str) -> None:
    """The header declares the language's plural rule and every plural entry has each form;
    one and two of a thing read differently."""
    catalog = _read(i18n.LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po", locale)
    rule = get_plural(locale)
    assert catalog.num_plurals == rule.num_plurals
    assert catalog.plural_expr == rule.plural_expr
    plurals = [m for m in catalog if m.id and isinstance(m.id, tuple)]
    assert len(plurals) > 20
    assert all(len(m.string) == rule.num_plurals for m in plurals)
    translations = i18n.translations_for(locale)
    one = translations.ngettext("%(num)s person found", "%(num)s people found", 1)
    two = translations.ngettext("%(num)s person found", "%(num)s people found", 2)
    assert one != two
    assert "%(num)s" in one
    assert "%(num)s" in two


@pytest.mark.parametrize(
    ("code", "expected"),
    [("pt-br", "pt_BR"), ("pt_BR", "pt_BR"), ("DE", "de"), ("zh-hant-tw", "zh_Hant_TW"), ("", "")],
)
def test_locale_codes_are_normalised(code: str, expected: str) -> None:
    """BCP 47 (pt-BR) and gettext (pt_BR) spellings name the same catalog."""
    assert i18n.normalize_locale(code) == expected


@pytest.mark.parametrize(
    ("header", "preferred", "expected"),
    [
        ("pt-BR,pt;q=0.9,en;q=0.8", None, "pt_BR"),
        ("pt", None, "pt_BR"),
        ("pt-PT", None, "pt_BR"),
        ("de-AT,de;q=0.9", None, "de"),
        ("fr-CA;q=0.5, es;q=0.9", None, "es"),
        ("de;q=0, fr", None, "fr"),
        ("en-US,en;q=0.9,de;q=0.8", None, "en"),
        ("xx-YY, *;q=0.1", None, "en"),
        (None, None, "en"),
        ("de", "pt-BR", "pt_BR"),
        ("de", "xx", "de"),
        ("fr", "es_MX", "es"),
    ],
)
def test_negotiation(header: str | None, preferred: str | None, expected: str) -> None:
    """The session's choice first, then Accept-Language by weight, regions falling back to
    their language (or a sibling region), English when nothing matches."""
    assert i18n.negotiate_locale(header, preferred) == expected


def test_translations_for_region_codes() -> None:
    """pt-BR and pt_BR load the same catalog; de_CH falls back to German; en has none."""
    assert i18n.translations_for("pt-BR").gettext("Skills") == "Competências"
    assert i18n.translations_for("pt_BR").gettext("Skills") == "Competências"
    assert i18n.translations_for("de_CH").gettext("Skills") == "Kompetenzen"
    assert i18n.translations_for("en").gettext("Skills") == "Skills"
    assert i18n.translations_for("xx").gettext("Skills") == "Skills"


def test_language_menu_names() -> None:
    """The selector names each language in itself."""
    assert i18n.locale_name("de") == "Deutsch"
    assert i18n.locale_name("pt_BR") == "Português (Brasil)"
    assert i18n.locale_name("fr") == "Français"
    assert i18n.locale_name("zz") == "zz"


def _text(html: str) -> str:
    """The visible text of a page with whitespace collapsed (no-break spaces are kept)."""
    return unescape(re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_accept_language_german(client: TestClient, world: World) -> None:
    """German navigation, sentences, numbers, percentages and dates from the browser's header."""
    client.headers["Accept-Language"] = "de-DE,de;q=0.9,en;q=0.5"
    log_in(client, world.emails["hr"])
    html = client.get("/").text
    assert '<html lang="de">' in html
    text = _text(html)
    for label in ("Startseite", "Personen", "Rollen", "Kompetenzen", "Katalog", "Abmelden"):
        assert f">{label}<" in html, label
    assert "5 aktive Personen in 2 Ländern" in text
    assert format_percent(0.5, locale="de") in text  # "50 %" with a no-break space
    assert "Zahlen zum " + format_date(world.today, "medium", locale="de") in text
    item = _text(client.get(f"/catalog/{world.ids['advanced']}").text)
    assert "Python (computer programming) auf Niveau Anfänger (2/5 · 0,40)" in item
    assert "10\u00a0h" in item


def test_language_selector(client: TestClient, world: World) -> None:
    """Choosing a language in the footer keeps it for the session, whatever the header says."""
    client.headers["Accept-Language"] = "en"
    log_in(client, world.emails["employee"])
    page = client.get("/").text
    assert '<option value="pt_BR" lang="pt-BR">Português (Brasil)</option>' in page
    response = client.post(
        "/locale",
        data={"locale": "de", "next": "/skills", "csrf_token": csrf_from(page)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/skills"
    html = client.get("/skills").text
    assert '<html lang="de">' in html
    assert "<h1>Kompetenztaxonomie</h1>" in html
    assert '<option value="de" lang="de" selected>Deutsch</option>' in html
    client.post("/locale", data={"locale": "pt-BR", "next": "/", "csrf_token": csrf_from(html)})
    html = client.get("/").text
    assert '<html lang="pt-BR">' in html
    assert ">Competências<" in html


def test_language_chosen_before_login_is_kept(client: TestClient, world: World) -> None:
    """Picking French on the login page survives logging in (which starts a fresh session)."""
    client.headers["Accept-Language"] = "en"
    page = client.get("/login").text
    client.post("/locale", data={"locale": "fr", "next": "/login", "csrf_token": csrf_from(page)})
    assert "<h1>Se connecter à Skillpath</h1>" in client.get("/login").text
    log_in(client, world.emails["employee"])
    assert ">Accueil<" in client.get("/").text


def test_unknown_language_falls_back_to_english(client: TestClient, world: World) -> None:
    """A language without a catalog gets English, and a made-up locale cannot be chosen."""
    client.headers["Accept-Language"] = "xx-YY,tlh;q=0.8"
    log_in(client, world.emails["employee"])
    html = client.get("/").text
    assert '<html lang="en">' in html
    assert ">Home<" in html
    client.post("/locale", data={"locale": "tlh", "next": "/", "csrf_token": csrf_from(html)})
    assert ">Home<" in client.get("/").text


def test_error_pages_are_translated(client: TestClient, world: World) -> None:
    """The title, the message and each problem of an error page follow the language."""
    client.headers["Accept-Language"] = "fr"
    log_in(client, world.emails["hr"])
    response = client.get("/people", params={"offset": "abc"})
    assert response.status_code == 422
    text = _text(response.text)
    assert "Saisie non valide" in text
    assert "Certaines des valeurs envoyées ne sont pas valides." in text
    assert "colonne 'offset'\u00a0: doit être un nombre entier (reçu\u00a0: 'abc')" in text
    missing = client.get("/nowhere")
    assert missing.status_code == 404
    assert "Il n’y a aucune page à cette adresse." in _text(missing.text)
    assert "Retour à l’accueil" in _text(missing.text)


@pytest.mark.parametrize("locale", ["es", "fr", "de", "pt-BR"])
@pytest.mark.parametrize("who", ["hr", "manager", "employee"])
def test_home_pages_render_in_every_language(
    client: TestClient, world: World, locale: str, who: str
) -> None:
    """Each role's home page renders in each language with no English navigation left."""
    client.headers["Accept-Language"] = locale
    log_in(client, world.emails[who])
    html = client.get("/").text
    assert f'<html lang="{locale}">' in html
    for english in (">Home<", ">Catalog<", ">Log out<", ">Language<"):
        assert english not in html, (locale, english)


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[DemoLogin]]]:
    """A small seeded retail demo (real names, units and figures), served on a free port."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo-i18n') / 'skillpath.db'}"
    upgrade_to_head(url)
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        summary = build_company(session, scenario="retail", employees=200, seed=7, as_of=DEMO_DAY)
    engine.dispose()
    with serve(url) as base_url:
        yield base_url, summary.logins


@pytest.mark.browser
@pytest.mark.parametrize("locale", ["de-DE", "fr-FR"])
def test_long_words_fit_in_a_real_browser(
    demo_site: tuple[str, list[DemoLogin]], locale: str
) -> None:
    """Every demo login's home page in German and French, at a laptop and a phone width: nothing
    sticks out sideways and no text spills out of its box; screenshots go to test-artifacts/."""
    executable = chromium()
    from playwright.sync_api import sync_playwright

    base_url, logins = demo_site
    ARTIFACTS.mkdir(exist_ok=True)
    # A box whose content is wider than itself lets text spill over its border (scrolling
    # table wrappers are meant to, so what is inside them is left out).
    spilling = """() => [...document.querySelectorAll('header, header *, main, main *, footer *')]
        .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1
                && getComputedStyle(e).overflowX === 'visible' && !e.closest('.table-wrap'))
        .map(e => e.tagName + '.' + e.className + ': ' + e.textContent.trim().slice(0, 60))"""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            for login in logins:
                for width, height in ((1280, 900), (375, 812)):
                    context = browser.new_context(
                        viewport={"width": width, "height": height},
                        base_url=base_url,
                        locale=locale,
                    )
                    page = context.new_page()
                    errors: list[str] = []
                    page.on("pageerror", lambda error, sink=errors: sink.append(str(error)))
                    page.goto("/login")
                    page.locator("#email").fill(login.email)
                    page.locator("#password").fill(login.password)
                    page.locator("main form button.primary").click()
                    page.wait_for_url(f"{base_url}/")
                    assert page.locator("html").get_attribute("lang") == locale[:2]
                    overflow = page.evaluate(
                        "document.documentElement.scrollWidth"
                        " - document.documentElement.clientWidth"
                    )
                    assert overflow <= 1, f"{login.role} home in {locale} is {overflow}px too wide"
                    assert page.evaluate(spilling) == [], (login.role, locale, width)
                    assert errors == []
                    name = f"home-{login.role}-{locale[:2]}-{width}.png"
                    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
                    context.close()
        finally:
            browser.close()


def test_times_show_in_the_users_time_zone() -> None:
    """`moment` converts UTC to the zone set for the request; unknown zones fall back to UTC."""
    from datetime import UTC, datetime

    from skillpath.web import i18n

    noon_utc = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    zone = i18n.current_timezone.set(i18n.valid_timezone("Europe/Berlin"))
    try:
        assert "1:00" in i18n.moment(noon_utc)
    finally:
        i18n.current_timezone.reset(zone)
    assert "12:00" in i18n.moment(noon_utc)
    assert i18n.valid_timezone("Mars/Olympus") == "UTC"
    assert i18n.valid_timezone(None) == "UTC"
