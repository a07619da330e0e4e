#!/usr/bin/env bash
# Regenerates docs/screenshots/: a full-page screenshot of every page that
# TestScreenshots lists (web/browser_test.go's pages and six more), at 1280
# and 390 pixels wide, from the built-in register. Needs Go and Chromium
# (scripts/test.sh installs it); with pngquant installed, each PNG is
# reduced to a palette of at most 256 colours, about a third of its size.
set -euo pipefail
cd "$(dirname "$0")/.."

out=docs/screenshots
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SCREENSHOTS="$tmp" go test ./web -run '^TestScreenshots$' -count=1
if command -v pngquant >/dev/null; then
	pngquant --force --ext .png --quality 70-95 --speed 3 --strip "$tmp"/*.png
else
	echo "screenshots.sh: no pngquant; the PNGs are kept as Chromium wrote them" >&2
fi
rm -f "$out"/*.png
mv "$tmp"/*.png "$out"/
du -ch "$out"/*.png | tail -1
