"""Translations and locale-aware formatting for pages (gettext catalogs compiled in memory)."""

from __future__ import annotations

import contextvars
import io
import re
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, get_timezone
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DEFAULT_LOCALE = "en"
current_locale: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_locale", default=DEFAULT_LOCALE
)
current_timezone: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_timezone", default="UTC"
)


def normalize_locale(code: str) -> str:
    """A locale code written as the catalog folders are named: "pt-br" → "pt_BR", "DE" → "de".

    Browsers and HR systems write regions with a hyphen (BCP 47), gettext with an underscore;
    both name the same catalog.
    """
    parts = [part for part in code.strip().replace("-", "_").split("_") if part]
    if not parts:
        return ""
    shaped = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            shaped.append(part.title())  # a script: zh_Hant
        elif len(part) in (2, 3):
            shaped.append(part.upper())  # a region: pt_BR, es_419
        else:
            shaped.append(part)
    return "_".join(shaped)


def available_locales() -> list[str]:
    """English plus every locale with a message catalog."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))
    return [DEFAULT_LOCALE, *[code for code in found if code != DEFAULT_LOCALE]]


def locale_name(code: str) -> str:
    """A locale's name in its own language, as a language menu shows it ("Português (Brasil)")."""
    try:
        name = Locale.parse(normalize_locale(code)).get_display_name() or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:]


@lru_cache(maxsize=32)
def _translations(code: str) -> NullTranslations:
    match = _best_match(code, available_locales())
    po_path = LOCALE_DIR / (match or DEFAULT_LOCALE) / "LC_MESSAGES" / "messages.po"
    if match is None or not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=match)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def translations_for(locale: str) -> NullTranslations:
    """The compiled catalog of a locale ("pt-BR" or "pt_BR"), else of its language ("de_AT" →
    "de") or of another region of it ("pt" → "pt_BR"); English (no catalog) otherwise."""
    return _translations(normalize_locale(locale))


def _best_match(code: str, locales: list[str]) -> str | None:
    """The catalog that serves a requested locale: the same one, its language, or another
    region of its language ("pt-PT" → "pt_BR" is closer than English)."""
    wanted = normalize_locale(code)
    if not wanted:
        return None
    if wanted in locales:
        return wanted
    language = wanted.split("_")[0]
    if language in locales:
        return language
    return next((found for found in locales if found.split("_")[0] == language), None)


def _accepted(accept_language: str) -> list[str]:
    """The languages of an Accept-Language header, most wanted first (by q, then by order)."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        code, _, parameters = part.partition(";")
        quality = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if code.strip() and code.strip() != "*" and quality > 0:
            weighted.append((-quality, position, code.strip()))
    return [code for _, _, code in sorted(weighted)]


def negotiate_locale(accept_language: str | None, preferred: str | None = None) -> str:
    """Pick the user's preferred locale, else the best match of the Accept-Language header."""
    locales = available_locales()
    for code in ([preferred] if preferred else []) + _accepted(accept_language or ""):
        match = _best_match(code, locales)
        if match is not None:
            return match
    return DEFAULT_LOCALE


def N_(message: str) -> str:  # noqa: N802 - the name `pybabel extract` looks for
    """Mark a message for extraction without translating it yet (it is translated where shown)."""
    return message


def gettext(message: str) -> str:
    """Translate a message into the current locale."""
    return translations_for(current_locale.get()).ugettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a plural form into the current locale."""
    return translations_for(current_locale.get()).ungettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate a message whose meaning depends on a context ("kind" of "Skill" vs the column)."""
    return str(translations_for(current_locale.get()).pgettext(context, message))


def _babel_locale() -> Locale:
    try:
        return Locale.parse(current_locale.get())
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LOCALE)


def number(value: float | int | None, digits: int = 0) -> str:
    """A number formatted for the current locale ("1,234.5" / "1.234,5")."""
    if value is None:
        return "–"
    pattern = "#,##0" if digits == 0 else "#,##0." + "0" * digits
    return format_decimal(value, format=pattern, locale=_babel_locale())


def percent(value: float | None, digits: int = 0) -> str:
    """A fraction formatted as a percentage for the current locale ("12%", "12 %", "%12")."""
    if value is None:
        return "–"
    locale = _babel_locale()
    # The locale's own pattern places the sign and its space; only the decimals are ours.
    pattern = locale.percent_formats[None].pattern.split(";")[0]
    if digits:
        pattern = re.sub(r"0(?=[^0]*$)", "0." + "0" * digits, pattern, count=1)
    return format_percent(value, format=pattern, locale=locale)


def money(value: float | None, currency: str = "EUR") -> str:
    """An amount of money formatted for the current locale."""
    if value is None:
        return "–"
    return format_currency(value, currency, locale=_babel_locale())


def day(value: date | datetime | None, style: str = "medium") -> str:
    """A date formatted for the current locale."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, format=style, locale=_babel_locale())


def moment(value: datetime | None, style: str = "medium") -> str:
    """A timestamp formatted for the current locale in the user's time zone."""
    if value is None:
        return "–"
    return format_datetime(
        value, format=style, tzinfo=get_timezone(current_timezone.get()), locale=_babel_locale()
    )


def babel_locale() -> Locale:
    """The Babel locale of the current request (for names of countries and languages)."""
    return _babel_locale()


def valid_timezone(name: object) -> str:
    """A known IANA time zone name, or UTC."""
    if isinstance(name, str) and name in _known_timezones():
        return name
    return "UTC"


@lru_cache(maxsize=1)
def _known_timezones() -> frozenset[str]:
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())
