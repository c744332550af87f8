#!/usr/bin/env bash
# The system packages `make run` and `make test` need, installed when missing.
#
#   tools/system_packages.sh run            WeasyPrint's libraries, a CJK font, gettext, Node.js + npm
#   tools/system_packages.sh test           the same, plus Chromium for the browser tests and Redis for the
#                                           shared-cache and cluster tests
#   tools/system_packages.sh test postgresql   ... plus any further Debian package named (.ci/run)
#
# On Debian/Ubuntu as root, what is missing is installed with apt-get (nothing is run when all is present).
# Anywhere else it stops at once and prints the exact command to run, so a new user never meets a test
# failing for a missing browser or a certificate with blank glyphs instead of a Chinese name.
set -euo pipefail

what=${1:-run}
shift || true
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-cjk gettext)
[ "$what" = test ] && packages+=(chromium chromium-driver redis-server)
packages+=("$@")

if ! command -v dpkg-query >/dev/null 2>&1; then
  # Not Debian: check by what the packages provide, and say what is needed.
  missing=()
  command -v msgfmt >/dev/null || missing+=("gettext (msgfmt)")
  command -v npm >/dev/null || missing+=("Node.js and npm")
  fc-list :lang=zh family 2>/dev/null | grep -q . || missing+=("a CJK font (Noto Sans CJK SC)")
  if [ "$what" = test ] && ! command -v chromium >/dev/null; then missing+=("Chromium (chromium)"); fi
  if [ "$what" = test ] && ! command -v redis-server >/dev/null; then missing+=("Redis (redis-server)"); fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Missing system packages: ${missing[*]}." >&2
    echo "Install them with your system's package manager (on Debian/Ubuntu: apt-get install ${packages[*]})." >&2
    exit 1
  fi
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js + npm fetch the H5P player. Images that ship their own Node.js have npm outside dpkg; Debian's
# npm package would conflict with that Node.js, so ask for it only when there is no npm at all.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Run as root, then make again:" >&2
  echo "  sudo sh -c '$cmd'" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
