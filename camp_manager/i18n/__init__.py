"""One translation mechanism for the whole app: Korean source strings, English catalogue.

The catalogue `resources/translations/en/*.json` (one file per part of the app) maps each
Korean string passed to `tr` to its English text. It is read as it is (nothing is
compiled), and a test checks that every `tr("…")` in the source has an entry and that no
entry is stale (`python -m camp_manager.i18n.check`).

Korean has no plural; English does. An entry whose number counts a noun gives both forms
and names the placeholder that holds the number:
`{"count": "days", "one": "{days} day", "other": "{days} days"}`. "one" is shown when that
value is written "1", "other" for any other number (0 days, 2 days, 1.5 hours, 1.0 hours).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from camp_manager.resources import resource_path

LANGUAGES = ("ko", "en")
_language = "ko"
# A report in another language than the screen's is built on a worker thread; a context
# variable keeps that choice to the thread (a new thread starts with no override).
_scoped_language: ContextVar[str | None] = ContextVar("camp_manager_language", default=None)


PluralForms = dict[str, str]  # {"count": placeholder, "one": text, "other": text}
Entry = str | PluralForms


@cache
def catalogue(language: str) -> dict[str, Entry]:
    if language == "ko":
        return {}
    merged: dict[str, Entry] = {}
    for path in sorted(resource_path("translations", language).glob("*.json")):
        with open(path, encoding="utf-8") as fh:
            merged.update(json.load(fh))
    return merged


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; use one of {LANGUAGES}")


def set_language(language: str) -> None:
    global _language  # noqa: PLW0603 (one language for the whole process, chosen in the settings)
    _check_language(language)
    _language = language


def current_language() -> str:
    return _scoped_language.get() or _language


@contextmanager
def language_scope(language: str) -> Iterator[None]:
    """Translate into `language` within the block, in this thread (or task) only."""
    _check_language(language)
    token = _scoped_language.set(language)
    try:
        yield
    finally:
        _scoped_language.reset(token)


def tr(text: str, /, **values: object) -> str:
    """Translate a Korean source string into the current language, then fill in values."""
    entry = catalogue(current_language()).get(text, text)
    translated = entry if isinstance(entry, str) else plural_form(entry, values)
    return translated.format(**values) if values else translated


def plural_form(forms: PluralForms, values: dict[str, object]) -> str:
    # As written, not as a number: a count may come formatted already ("1", "1.5").
    return forms["one"] if str(values[forms["count"]]) == "1" else forms["other"]
