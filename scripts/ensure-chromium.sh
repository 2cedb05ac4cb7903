#!/usr/bin/env bash
# Make sure Debian's chromium is installed: the browser tests drive it with Playwright.
# (Never `playwright install`: it downloads a browser build, which is not available here.)
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "The browser tests need Debian's chromium, which is not installed." >&2
  echo "Install it as root, then run make test again:" >&2
  echo "    sudo apt-get update && sudo apt-get install -y chromium" >&2
  exit 1
fi
echo "Installing Debian's chromium for the browser tests (about 30 s)..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
command -v chromium >/dev/null
