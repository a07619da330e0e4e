#!/usr/bin/env bash
# The floor under an import (issue 18): what SQLite itself, the C sqlite3
# command, spends writing the rows an import of a register writes, against
# its own `.import` of the same deployments as CSV (id and state), the
# yardstick of the issue's "import >= 0.5x sqlite3 .import".
#
# The rows are copied from a register made by `oversight gen` or an import
# (DATA), table by table, into an empty database with the same schema, in
# one transaction, as an import writes them: the log and its content, the
# tree's stored hashes, the checkpoints, the current states, every
# projection table and its indexes, the search index (FTS5, so each text
# is tokenized again), the word lists in a deployment's order, the fact
# classes (their counts kept by the schema's triggers) and the tiers
# pending. What Oversight does besides (reading and checking JSON, hashing
# and signing, classifying) is not in it: it is a floor, not a rival.
# The tiers a server projects later (deployment_tiers, deployment_spans)
# are left out, as an import does not write them.
#
#   DATA=DIR bash bench/importfloor.sh          # ROUNDS=3, CACHE_KB=37888
#
# CACHE_KB is the page cache of the writing connection, the size of
# Oversight's writer cache under its default memory budget. Needs sqlite3.
set -euo pipefail
: "${DATA:?DATA=DIR names a register}"
ROUNDS=${ROUNDS:-3}
CACHE_KB=${CACHE_KB:-37888}
SRC="$DATA/oversight.db"
WORK=$(mktemp -d /tmp/oversight-importfloor.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
sqlite3 -readonly "$SRC" .schema >"$WORK/schema.sql"
sqlite3 -readonly -csv "$SRC" "SELECT id, state FROM entities WHERE kind = 'deployment'" >"$WORK/deployments.csv"
cat >"$WORK/load.sql" <<SQL
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA cache_size = -$CACHE_KB;
ATTACH '$SRC' AS src;
BEGIN;
INSERT INTO main.jurisdictions SELECT * FROM src.jurisdictions;
INSERT INTO main.vendors SELECT * FROM src.vendors;
INSERT INTO main.instruments SELECT * FROM src.instruments;
INSERT INTO main.fact_classes SELECT * FROM src.fact_classes;
INSERT INTO main.revisions SELECT * FROM src.revisions;
INSERT INTO main.revision_content SELECT * FROM src.revision_content;
INSERT INTO main.tree_hashes SELECT * FROM src.tree_hashes;
INSERT INTO main.checkpoints SELECT * FROM src.checkpoints;
INSERT INTO main.entities SELECT * FROM src.entities;
INSERT INTO main.deployments SELECT * FROM src.deployments;
INSERT INTO main.deployment_vendors SELECT * FROM src.deployment_vendors;
INSERT INTO main.deployment_capabilities SELECT * FROM src.deployment_capabilities;
INSERT INTO main.sources SELECT * FROM src.sources;
INSERT INTO main.deployments_fts (rowid, id, body) SELECT rowid, id, body FROM src.deployments_fts;
INSERT INTO main.deployment_words SELECT * FROM src.deployment_words ORDER BY deployment_id, word;
INSERT INTO main.search_words SELECT * FROM src.search_words;
INSERT INTO main.deployment_counts SELECT * FROM src.deployment_counts;
INSERT INTO main.deployment_classes SELECT * FROM src.deployment_classes;
INSERT INTO main.tier_pending (deployment_id) SELECT id FROM src.deployments;
COMMIT;
SQL
cpu() { awk '/^cpu /{print $2}' "$1"; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(sqlite3 -readonly "$SRC" 'SELECT count(*) FROM deployments') deployments"
floors=() imports=()
for r in $(seq "$ROUNDS"); do
  rm -f "$WORK"/new.db* "$WORK"/csv.db*
  sqlite3 "$WORK/new.db" <"$WORK/schema.sql"
  /usr/bin/time -f "cpu %U %S %e" -o "$WORK/t" sqlite3 "$WORK/new.db" <"$WORK/load.sql" >/dev/null
  read -r _ fu fs fw <"$WORK/t"
  sqlite3 "$WORK/csv.db" "CREATE TABLE d (id TEXT, state TEXT)"
  /usr/bin/time -f "cpu %U %S %e" -o "$WORK/t" sqlite3 "$WORK/csv.db" ".mode csv" ".import $WORK/deployments.csv d"
  read -r _ iu is iw <"$WORK/t"
  f=$(awk "BEGIN{print $fu + $fs}") i=$(awk "BEGIN{print $iu + $is}")
  floors+=("$f") imports+=("$i")
  printf 'round %d, load %s: rows of an import %6.2f s CPU (%.1f s wall); .import %5.2f s CPU (%.1f s wall); ratio %.3fx\n' \
    "$r" "$(cut -d' ' -f1 /proc/loadavg)" "$f" "$fw" "$i" "$iw" "$(awk "BEGIN{print $i / $f}")"
done
med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
f=$(med "${floors[@]}") i=$(med "${imports[@]}")
printf 'median: SQLite writing the rows of an import %.2f s CPU, its .import of the CSV %.2f s: %.3fx (the issue asks 0.5x of an import)\n' "$f" "$i" "$(awk "BEGIN{print $i / $f}")"
