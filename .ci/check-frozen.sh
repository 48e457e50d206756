#!/usr/bin/env bash
# Builds the frozen app (python -m tools.build_app) and runs it as an office PC would, with no Python
# and no checkout: the command line's --version, demo, report, import, and the desktop app painting
# every page offscreen (--smoke). Every resource must be found inside the bundle, or this fails.
# PyInstaller's work folder is kept in the user cache folder, so a rebuild reuses its analysis.
# Linux and Windows (Git Bash, as the Windows workflow runs it); arguments go to tools.build_app
# (--installer on Windows).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
python="$repo/.venv/bin/python"
[ -x "$python" ] || python="$repo/.venv/Scripts/python.exe"
"$python" -m pip install -q -e ".[build]"

started=$(date +%s)
"$python" -m tools.build_app --dist "$repo/dist" "$@"
echo "frozen check: build took $(( $(date +%s) - started )) s"
bundle="$repo/dist/CampManager"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The bundle alone: away from the checkout, with a user of its own (data, settings, logs) and no venv.
cd "$work"
export HOME="$work/home" XDG_DATA_HOME="$work/home/data" XDG_CONFIG_HOME="$work/home/config"
export XDG_CACHE_HOME="$work/home/cache" XDG_STATE_HOME="$work/home/state"
export CAMP_MANAGER_DB="$work/frozen.sqlite3" QT_QPA_PLATFORM=offscreen
unset PYTHONPATH VIRTUAL_ENV
cli="$bundle/camp-manager"

# A library the bundle needs but left out shows here, not on a user's PC. Like X11's, the Wayland
# libraries come with the desktop that loads the Wayland plugins, and are not bundled.
missing=$(find "$bundle" -name '*.so*' -type f -exec ldd {} + 2>/dev/null | grep 'not found' | grep -v 'libwayland-' | sort -u || true)
if [ -n "$missing" ]; then
  echo "frozen check: libraries missing from the bundle:" >&2
  echo "$missing" >&2
  exit 1
fi

version=$("$python" -c 'import camp_manager; print(camp_manager.__version__)')
[ "$("$cli" --version)" = "camp-manager $version" ] || { echo "frozen check: --version is not $version" >&2; exit 1; }
"$cli" init   # a database file other than the default one is made only when asked
"$cli" demo --today 2026-11-22
"$cli" status --as-of 2026-11-22
mkdir "$work/reports"   # reports go to a folder that exists: none is made unasked
"$cli" report --month 2026-10 --format pdf,xlsx --out "$work/reports"
"$cli" report --year 2025 --format pdf,xlsx --out "$work/reports"
[ -n "$(find "$work/reports" -name '연간*.pdf')" ] || { echo "frozen check: no annual PDF report written" >&2; exit 1; }
pdf=$(find "$work/reports" -name '월간*.pdf' | head -n 1)
[ -n "$pdf" ] && [ -s "$pdf" ] || { echo "frozen check: no PDF report written" >&2; exit 1; }
[ -n "$(find "$work/reports" -name '*.xlsx')" ] || { echo "frozen check: no Excel report written" >&2; exit 1; }
if command -v pdftotext >/dev/null; then
  # The bundled Korean font must have been embedded: Hangul comes back out of the PDF.
  pdftotext "$pdf" "$work/report.txt"
  grep -q "월간 입주 현황" "$work/report.txt" || { echo "frozen check: the PDF report has no Korean text" >&2; exit 1; }
fi
# A CSV as Excel on Korean Windows saves it (CP949): the codecs and the reader are in the bundle.
"$cli" import "$repo/tests/data/import/residents_cp949.csv" --facility 아이플렉스 --create-rooms | tee "$work/import.txt"
grep -q "새로 등록 3," "$work/import.txt" || { echo "frozen check: the import did not register the 3 companies" >&2; exit 1; }
"$cli" --lang en status --as-of 2026-11-22 > "$work/status-en.txt"
grep -q "residents, offices" "$work/status-en.txt" || { echo "frozen check: the English catalogue is not in the bundle" >&2; exit 1; }

# The desktop program itself (the windowed one): every page painted, icons, Qt plugins and translations found.
timeout 120 "$bundle/CampManager" --smoke
echo "frozen check: ok ($(du -sm "$bundle" | cut -f1) MiB, $(( $(date +%s) - started )) s with the build)"
