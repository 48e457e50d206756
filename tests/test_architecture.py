"""The layers: only the UI imports Qt, the UI builds no queries, the command line is in one place,
import-linter's contracts hold."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "camp_manager"
UI = PACKAGE / "ui"
CLI = PACKAGE / "cli"
QT_MODULES = {"PySide6", "shiboken6"}
DATABASE_MODULES = {"sqlalchemy", "sqlmodel"}
# What building a query takes; a widget asks a use case or a query function instead.
QUERY_BUILDERS = {
    "select",
    "text",
    "func",
    "and_",
    "or_",
    "not_",
    "insert",
    "update",
    "delete",
    "bindparam",
    "case",
    "literal_column",
    "column",
    "table",
}


def python_files(folder: Path):
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def imported_modules(tree: ast.AST):
    """(top-level module, imported names, line) for every import, also those inside functions."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], {alias.asname or alias.name.split(".")[0]}, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0], {alias.name for alias in node.names}, node.lineno


def qt_imports_outside_the_ui(root: Path = PACKAGE) -> list[str]:
    found = []
    for path in python_files(root):
        if UI in path.parents or path == PACKAGE / "app.py":
            continue
        for module, _, line in imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            if module in QT_MODULES:
                found.append(f"{path.relative_to(root)}:{line} imports {module}")
    return found


def query_building_in_the_ui(root: Path = UI) -> list[str]:
    found = []
    for path in python_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_aliases = set()
        for module, names, line in imported_modules(tree):
            if module not in DATABASE_MODULES:
                continue
            builders = names & QUERY_BUILDERS
            if builders:
                found.append(f"{path.relative_to(root)}:{line} imports {', '.join(sorted(builders))} from {module}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                module_aliases |= {
                    alias.asname or alias.name for alias in node.names if alias.name.split(".")[0] in DATABASE_MODULES
                }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in QUERY_BUILDERS
                and isinstance(node.value, ast.Name)
                and node.value.id in module_aliases
            ):
                found.append(f"{path.relative_to(root)}:{node.lineno} uses {node.value.id}.{node.attr}")
    return found


def argument_parsing_outside_the_cli(root: Path = PACKAGE) -> list[str]:
    found = []
    for path in python_files(root):
        if CLI in path.parents:
            continue
        for module, _, line in imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            if module == "argparse":
                found.append(f"{path.relative_to(root)}:{line} imports argparse")
    return found


def test_only_the_ui_imports_qt():
    assert qt_imports_outside_the_ui() == []


def test_no_widget_builds_a_query():
    assert query_building_in_the_ui() == []


def test_the_command_line_is_in_one_place():
    """Subcommands and their arguments live in camp_manager/cli, one module per group."""
    assert argument_parsing_outside_the_cli() == []


def test_the_checks_above_can_fail(tmp_path):
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "bad.py").write_text("def f():\n    from PySide6.QtCore import QDate\n", encoding="utf-8")
    (tmp_path / "widget.py").write_text(
        "import sqlalchemy as sa\nfrom sqlmodel import Session, select\nq = sa.select(1)\n", encoding="utf-8"
    )
    (tmp_path / "reporting").mkdir()
    (tmp_path / "reporting" / "commands.py").write_text("import argparse\n", encoding="utf-8")
    assert len(qt_imports_outside_the_ui(tmp_path)) == 1
    assert len(query_building_in_the_ui(tmp_path)) == 2
    assert len(argument_parsing_outside_the_cli(tmp_path)) == 1


def lint_imports(*arguments: str) -> subprocess.CompletedProcess:
    # In a process of its own: import-linter reconfigures logging, which would silence other tests' loggers.
    command = [str(Path(sys.executable).parent / "lint-imports"), "--no-cache", *arguments]
    return subprocess.run(command, cwd=REPO, capture_output=True, encoding="utf-8", check=False, timeout=120)


def test_import_linter_contracts_are_kept():
    done = lint_imports("--config", str(REPO / "pyproject.toml"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_import_linter_notices_a_broken_contract(tmp_path):
    """The linter really looks: a contract the code does not keep is reported."""
    config = tmp_path / "broken.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "camp_manager"\n\n'
        '[[tool.importlinter.contracts]]\nname = "services never touch the database (false)"\n'
        'type = "forbidden"\nsource_modules = ["camp_manager.services"]\nforbidden_modules = ["camp_manager.db"]\n',
        encoding="utf-8",
    )
    done = lint_imports("--config", str(config))
    assert done.returncode != 0 and "BROKEN" in done.stdout.upper()
