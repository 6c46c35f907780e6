"""Translations and locale-aware formatting for pages (gettext catalogs compiled in memory)."""

from __future__ import annotations

import contextvars
import io
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


def available_locales() -> list[str]:
    """English plus every locale with a message catalog."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))
    return [DEFAULT_LOCALE, *[code for code in found if code != DEFAULT_LOCALE]]


@lru_cache(maxsize=32)
def translations_for(locale: str) -> NullTranslations:
    """The compiled catalog of a locale (falling back to its language, then to English)."""
    for code in (locale, locale.split("_")[0].split("-")[0]):
        po_path = LOCALE_DIR / code / "LC_MESSAGES" / "messages.po"
        if po_path.exists():
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=code)
            buffer = io.BytesIO()
            write_mo(buffer, catalog)
            buffer.seek(0)
            return Translations(fp=buffer)
    return NullTranslations()


def negotiate_locale(accept_language: str | None, preferred: str | None = None) -> str:
    """Pick the user's preferred locale, else the best match of the Accept-Language header."""
    locales = available_locales()
    if preferred and preferred.split("-")[0] in locales:
        return preferred.split("-")[0]
    if accept_language:
        for part in accept_language.split(","):
            code = part.split(";")[0].strip().replace("-", "_")
            if code.split("_")[0] in locales:
                return code.split("_")[0]
    return DEFAULT_LOCALE


def gettext(message: str) -> str:
    """Translate a message into the current locale."""
    return translations_for(current_locale.get()).ugettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a plural form into the current locale."""
    return translations_for(current_locale.get()).ungettext(singular, plural, n)


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
    """A fraction formatted as a percentage for the current locale."""
    if value is None:
        return "–"
    pattern = "#,##0%" if digits == 0 else "#,##0." + "0" * digits + "%"
    return format_percent(value, format=pattern, locale=_babel_locale())


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
