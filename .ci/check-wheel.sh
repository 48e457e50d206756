#!/usr/bin/env bash
# Builds the wheel, installs it in a fresh venv and runs it from there: resources must
# be found inside the installed package, not in the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/python -m pip wheel -q --no-deps -w "$work/dist" .
# The wheel ships the product only: the development tools (benchmarks, screenshots, sample
# reports, the scale generator) live in tools/ and must not be packaged, under any name.
.venv/bin/python - "$work"/dist/*.whl <<'PY'
import re, sys, zipfile
tool = re.compile(r"(^|/)tools/|(^|/)\w*(benchmark|screenshots|samples|scale_demo)\w*\.py$")
packaged = [name for name in zipfile.ZipFile(sys.argv[1]).namelist() if tool.search(name)]
if packaged:
    sys.exit("wheel check: development tools inside the wheel: " + ", ".join(packaged))
PY
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q "$work"/dist/*.whl
cd "$work"   # away from the checkout, so nothing can be read from it
"$work/venv/bin/camp-manager" --version
CAMP_MANAGER_DB="$work/wheel.sqlite3" "$work/venv/bin/camp-manager" init   # a file other than the default is made only when asked
CAMP_MANAGER_DB="$work/wheel.sqlite3" "$work/venv/bin/camp-manager" demo --today 2026-11-22
CAMP_MANAGER_DB="$work/wheel.sqlite3" "$work/venv/bin/camp-manager" status --as-of 2024-12-31
"$work/venv/bin/python" - <<'PY'
from camp_manager.resources import resources_dir
import camp_manager
assert str(resources_dir()).startswith(str(__import__("pathlib").Path(camp_manager.__file__).parent)), resources_dir()
print("resources from the wheel:", resources_dir())
PY
echo "wheel check: ok"
