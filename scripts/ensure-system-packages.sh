#!/usr/bin/env bash
# Installs the Debian packages the test suite drives for real, when missing:
#   chromium (browser tests), postgresql (npm run test:postgres), ffmpeg (video tests),
#   aria2 and transmission-cli (BitTorrent clients of the torrent tests), nginx (bench:torrent's reference).
# Usage: scripts/ensure-system-packages.sh [chromium] [postgresql] [ffmpeg] ...
# Needs root (or passwordless sudo) only when something is missing.
set -euo pipefail

have() {
  case "$1" in
    chromium) [ -x /usr/bin/chromium ] ;;
    postgresql) compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null ;;
    aria2) command -v aria2c >/dev/null 2>&1 ;;
    nginx) [ -x /usr/sbin/nginx ] ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}

missing=()
for pkg in "$@"; do have "$pkg" || missing+=("$pkg"); done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "Missing system packages: ${missing[*]}. Install them with: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
echo "Installing system packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
