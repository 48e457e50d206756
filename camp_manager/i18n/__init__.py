"""One translation mechanism for the whole app: Korean source strings, English catalogue.

The catalogue `resources/translations/en/*.json` (one file per part of the app) maps each
Korean string passed to `tr` to its English text. It is read as it is (nothing is
compiled), and a test checks that every `tr("…")` in the source has an entry and that no
entry is stale (`python -m camp_manager.i18n.check`).
"""

from __future__ import annotations

import json
from functools import lru_cache

from camp_manager.resources import resource_path

LANGUAGES = ("ko", "en")
_language = "ko"


@lru_cache(maxsize=None)
def catalogue(language: str) -> dict[str, str]:
    if language == "ko":
        return {}
    merged: dict[str, str] = {}
    for path in sorted(resource_path("translations", language).glob("*.json")):
        with open(path, encoding="utf-8") as fh:
            merged.update(json.load(fh))
    return merged


def set_language(language: str) -> None:
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; use one of {LANGUAGES}")
    _language = language


def current_language() -> str:
    return _language


def tr(text: str, /, **values: object) -> str:
    """Translate a Korean source string into the current language, then fill in values."""
    translated = catalogue(_language).get(text, text)
    return translated.format(**values) if values else translated
