"""Keeps the English catalogue in step with the source: `python -m camp_manager.i18n.check`.

Lists every `tr("…")` string in the package that has no English entry, every entry that no
code uses any more, and every entry that shows other values than its Korean string (an extra
placeholder would raise KeyError when shown; a missing one loses a figure) or whose plural
forms are not {"count", "one", "other"} counting one of those values. The test suite runs
the same check.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

from camp_manager.i18n import Entry, catalogue

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TRANSLATOR_NAMES = {"tr"}
PLACEHOLDER = re.compile(r"{(\w*)(?:[:!][^}]*)?}")  # {name}, {name:02d}, {name!r}
PLURAL_KEYS = {"count", "one", "other"}


def source_strings(root: Path = PACKAGE_DIR) -> dict[str, str]:
    """Each literal passed to `tr(...)`, with the first place it appears."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in TRANSLATOR_NAMES
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, f"{path.relative_to(root.parent)}:{node.lineno}")
    return found


def english_catalogue() -> dict[str, Entry]:
    return catalogue("en")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def texts(entry: Entry) -> list[str]:
    """What an entry may show: its text, or each of its plural forms."""
    return [entry] if isinstance(entry, str) else [entry.get("one", ""), entry.get("other", "")]


def mismatched(korean: str, entry: Entry) -> bool:
    if not isinstance(entry, str) and (set(entry) != PLURAL_KEYS or entry["count"] not in placeholders(korean)):
        return True
    return any(placeholders(text) != placeholders(korean) for text in texts(entry))


def missing_and_stale() -> tuple[dict[str, str], list[str]]:
    used = source_strings()
    catalogue = english_catalogue()
    missing = {text: where for text, where in used.items() if not catalogue.get(text)}
    stale = sorted(text for text in catalogue if text not in used)
    return missing, stale


def mismatches() -> list[str]:
    return sorted(korean for korean, entry in english_catalogue().items() if mismatched(korean, entry))


def main() -> int:
    missing, stale = missing_and_stale()
    wrong = mismatches()
    for text, where in missing.items():
        print(f"missing  {where}: {text}")
    for text in stale:
        print(f"stale    {text}")
    for text in wrong:
        print(f"mismatch {text}")
    return 1 if missing or stale or wrong else 0


if __name__ == "__main__":
    sys.exit(main())
