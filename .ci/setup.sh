#!/usr/bin/env bash
# One command for a fresh Debian/Ubuntu machine with Python 3.11+:
#   bash .ci/setup.sh app    set up, put demo data in an empty database, start the app
#   bash .ci/setup.sh test   set up, run ruff, mypy and the whole test suite (extra arguments go to pytest)
# It installs the Debian packages Qt and the tests need (when run as root; otherwise it
# prints the exact apt-get line), a virtual environment in .venv, and the Python packages.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-}"
case "$mode" in app|test) ;; *) echo "usage: bash .ci/setup.sh app|test" >&2; exit 2 ;; esac

# Qt's xcb platform plugin and the virtual screen; poppler for looking at PDFs as the tests do.
APT_PACKAGES=(python3-venv xvfb xauth libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xinerama0 libxcb-randr0 libxcb-shape0
  libxcb-cursor0 poppler-utils)
if [ "$mode" = test ]; then
  APT_PACKAGES+=(postgresql libreoffice-calc-nogui)
fi

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Please install the system packages first:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ "$mode" = test ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
else
  .venv/bin/python -m pip install -q -e .
fi

if [ "$mode" = app ]; then
  .venv/bin/camp-manager demo 2>/dev/null || true   # refuses, harmlessly, when the database has data
  if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "No screen found: starting the app on a virtual screen (xvfb-run)."
    exec xvfb-run -a .venv/bin/camp-manager
  fi
  exec .venv/bin/camp-manager
fi

# The lint and the types first: a finding fails the run before the suite starts (set -e).
# Both read their settings from pyproject.toml ([tool.ruff], [tool.mypy]).
echo "ruff check, ruff format --check"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "mypy (strict: db, services, importing, reporting)"
.venv/bin/mypy

export QT_QPA_PLATFORM=offscreen
# A throwaway PostgreSQL server on loopback, so the rules are proven there too. It needs
# root (to run as the postgres user); otherwise set CAMP_MANAGER_TEST_PG_URL yourself.
pg_stop=""
if [ -z "${CAMP_MANAGER_TEST_PG_URL:-}" ] && [ "$(id -u)" = 0 ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  pg_dir=$(mktemp -d /tmp/camp-pg.XXXXXX)
  # A free port, so several checkouts can run their suites side by side.
  pg_port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  chown postgres "$pg_dir"
  su postgres -s /bin/sh -c "$pg_bin/initdb -D $pg_dir/data -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
  su postgres -s /bin/sh -c "$pg_bin/pg_ctl -D $pg_dir/data -w -l $pg_dir/log -o '-k $pg_dir -p $pg_port -c listen_addresses=127.0.0.1 -c fsync=off' start" >/dev/null
  pg_stop="su postgres -s /bin/sh -c '$pg_bin/pg_ctl -D $pg_dir/data -m fast stop' >/dev/null; rm -rf $pg_dir"
  export CAMP_MANAGER_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$pg_port/postgres"
fi
status=0
.venv/bin/python -m pytest -q -p no:cacheprovider "${@:2}" || status=$?
[ -n "$pg_stop" ] && eval "$pg_stop"
exit $status
