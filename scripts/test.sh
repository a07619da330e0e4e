#!/usr/bin/env bash
# Runs every test of Oversight. Installs what the tests need first, so that
# it works on a fresh machine; see README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# What to undo on exit: PostgreSQL, the fuzz binaries' build. An undo
# that fails (the build had ended) leaves the script's exit status alone.
cleanup=()
trap 'rc=$?; for c in "${cleanup[@]}"; do eval "$c" || true; done; exit $rc' EXIT

command -v go >/dev/null || { echo "test.sh: Go is not installed (go 1.26 or later is needed)" >&2; exit 1; }
go mod download

# The browser tests drive Debian's Chromium; install it when it is missing.
if ! command -v chromium >/dev/null; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "test.sh: installing chromium for the browser tests" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "test.sh: chromium is missing and cannot be installed here (need root and apt-get)" >&2
  fi
fi

# The accessibility test runs axe-core, pinned with its checksum in
# web/testdata/axe/package-lock.json; install npm when it is missing.
if ! command -v npm >/dev/null; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "test.sh: installing npm for the accessibility test" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  else
    echo "test.sh: npm is missing and cannot be installed here (need root and apt-get)" >&2
  fi
fi
if ! { command -v npm >/dev/null && npm ci --prefix web/testdata/axe --no-audit --no-fund --loglevel=error >&2; }; then
  echo "test.sh: axe-core is not installed; the accessibility test will be skipped (or fail under CI=true)" >&2
fi

# The store's conformance suite also runs on PostgreSQL: start a throwaway
# cluster on loopback (Debian's postgresql, installed when missing) unless
# OBS_TEST_POSTGRES already names one.
if [ -z "${OBS_TEST_POSTGRES:-}" ]; then
  if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "test.sh: installing postgresql" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  if PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1) && [ -n "$PGBIN" ]; then
    PGDIR=$(mktemp -d /tmp/oversight-pg.XXXXXX)
    PGPORT=$(( 20000 + RANDOM % 20000 ))
    RUNAS=()
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGDIR"; RUNAS=(runuser -u postgres --); fi
    "${RUNAS[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U app --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
    "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
    "${RUNAS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U app oversight
    export OBS_TEST_POSTGRES="postgres://app@127.0.0.1:$PGPORT/oversight?sslmode=disable"
    cleanup+=("kill -INT \"\$(head -1 '$PGDIR/data/postmaster.pid')\" 2>/dev/null; sleep 1; rm -rf '$PGDIR'")
  else
    echo "test.sh: PostgreSQL is missing and cannot be installed here; its tests will be skipped (or fail under CI=true)" >&2
  fi
fi

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "test.sh: gofmt would change: $unformatted" >&2
  exit 1
fi
# go test leaves each package's test binary in TESTBIN, where the fuzz
# step then finds its targets: it builds nothing of its own
# (scripts/fuzz.sh, TESTBIN).
TESTBIN=$(mktemp -d /tmp/oversight-testbin.XXXXXX)
cleanup+=("rm -rf '$TESTBIN'")
go vet ./...
go test -count=1 -timeout 20m -o "$TESTBIN/" ./...
# Every fuzz target then mutates its seed corpus (which the go test above
# replays) for FUZZTIME, without coverage guidance; bash scripts/fuzz.sh
# fuzzes with it, FUZZTIME=60s for longer.
TESTBIN=$TESTBIN FUZZTIME=${FUZZTIME:-1s} bash scripts/fuzz.sh
