#!/usr/bin/env bash
# Regenerates site/atlas/apac.json, the map asset that package site/atlas
# embeds, from the world-atlas npm package (Natural Earth 1:50m countries as
# TopoJSON). Needs npm and Go; the result is committed, so building and
# testing Oversight never runs this. See site/atlas/README.md.
#
#   bash scripts/atlas.sh            # world-atlas 2.0.2
#   WORLD_ATLAS_VERSION=2 bash scripts/atlas.sh
set -euo pipefail
cd "$(dirname "$0")/.."

version=${WORLD_ATLAS_VERSION:-2.0.2}
npmdir=${ATLAS_NPM_DIR:-/tmp/atlas-npm}

command -v npm >/dev/null || { echo "atlas.sh: npm is needed" >&2; exit 1; }
npm install --prefix "$npmdir" --no-save --no-audit --no-fund "world-atlas@$version" >&2
go run ./site/atlas/gen -in "$npmdir/node_modules/world-atlas/countries-50m.json" -out site/atlas/apac.json
go test ./site/atlas/
