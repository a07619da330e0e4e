#!/usr/bin/env bash
# Runs, at the working tree, the top-level tests (and fuzz targets' seed
# corpora) that an earlier commit had, by name, in the packages that hold
# them now, and times them: the like-for-like half of "the suite against
# the one issue 11 was filed on" (docs/performance.md).
#
#   OBS_TEST_POSTGRES=... CI=true bash scripts/sametests.sh 28ea564
#
# REV's own run of the same tests: check it out in a worktree of its own
# and run `go test -count=1 ./...` there.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: sametests.sh REV}
old=$(mktemp -d /tmp/oversight-sametests.XXXXXX)
trap 'git worktree remove --force "$old" >/dev/null 2>&1 || rm -rf "$old"' EXIT
git worktree add -q --detach "$old" "$rev"
names=$(cd "$old" && go test -list '.*' ./... 2>/dev/null | grep -E '^(Test|Fuzz|Example)' | sort -u)
[ -n "$names" ] || { echo "sametests: no tests listed at $rev" >&2; exit 1; }
# The packages that declare one of the names now.
pkgs=$(for n in $names; do grep -l "^func $n(" $(git ls-files '*_test.go') 2>/dev/null | xargs -r -n1 dirname; done | sort -u | sed 's|^|./|')
echo "sametests: $(echo "$names" | wc -l) tests of $rev, in $(echo "$pkgs" | wc -l) packages now" >&2
/usr/bin/time -f "sametests: %e s wall, %U s user, %S s sys" \
  go test -count=1 -run "^($(echo $names | tr ' ' '|'))\$" $pkgs
