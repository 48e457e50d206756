"""Keeps the English catalogue in step with the source: `python -m camp_manager.i18n.check`.

Lists every `tr("…")` string in the package that has no English entry, and every
entry that no code uses any more. The test suite runs the same check.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from camp_manager.i18n import catalogue

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TRANSLATOR_NAMES = {"tr"}


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


def english_catalogue() -> dict[str, str]:
    return catalogue("en")


def missing_and_stale() -> tuple[dict[str, str], list[str]]:
    used = source_strings()
    catalogue = english_catalogue()
    missing = {text: where for text, where in used.items() if not catalogue.get(text)}
    stale = sorted(text for text in catalogue if text not in used)
    return missing, stale


def main() -> int:
    missing, stale = missing_and_stale()
    for text, where in missing.items():
        print(f"missing  {where}: {text}")
    for text in stale:
        print(f"stale    {text}")
    return 1 if missing or stale else 0


if __name__ == "__main__":
    sys.exit(main())
