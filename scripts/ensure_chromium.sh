#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the dashboard's end-to-end test
# (tests/dashboard/test_dashboard_e2e.py drives it through Playwright). Installs the
# `chromium` package with apt-get when it is missing; non-interactive and quiet. Exits
# non-zero with a clear message when it cannot.
set -euo pipefail

BROWSER=/usr/bin/chromium

if [ -x "$BROWSER" ]; then
  echo "ensure_chromium: $BROWSER is present ($("$BROWSER" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure_chromium: $BROWSER is missing and apt-get is not available;" \
       "install Debian's 'chromium' package by hand" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "ensure_chromium: $BROWSER is missing; installing it needs root" \
         "(run this script as root, or with passwordless sudo)" >&2
    exit 1
  fi
fi

echo "ensure_chromium: installing Debian's chromium with apt-get ..."
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp "${TMPDIR:-/tmp}/ensure-chromium.XXXXXX")
trap 'rm -f "$log"' EXIT
if ! { $SUDO apt-get update -qq && \
       $SUDO apt-get install -y -qq chromium; } >"$log" 2>&1; then
  tail -n 20 "$log" >&2
  echo "ensure_chromium: apt-get could not install chromium (see above)" >&2
  exit 1
fi

if [ ! -x "$BROWSER" ]; then
  echo "ensure_chromium: the chromium package was installed but $BROWSER is not there" >&2
  exit 1
fi
echo "ensure_chromium: installed $("$BROWSER" --version 2>/dev/null || echo "$BROWSER")"
