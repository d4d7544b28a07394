#!/usr/bin/env bash
# Puts a headless Chromium at /usr/bin/chromium for ReportBrowserTest, which renders
# report.html the way a reader's browser does. A no-op when it is there; otherwise Debian's
# chromium package through apt-get (CI runs as root on a fresh machine). Exits non-zero,
# with the reason on stderr, only when installing is impossible here (not root, no apt-get).
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
command -v apt-get >/dev/null || { echo "install-chromium: no apt-get on this machine" >&2; exit 1; }
[[ $(id -u) == 0 ]] || { echo "install-chromium: apt-get needs root (running as $(id -un))" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
# a fresh machine has no package lists yet; an old list may name versions no longer served
apt-get update -qq >/dev/null || true
apt-get install -y -qq --no-install-recommends chromium >/dev/null \
  || { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
[[ -x /usr/bin/chromium ]] || { echo "install-chromium: apt-get finished but /usr/bin/chromium is missing" >&2; exit 1; }
echo "install-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) installed"
