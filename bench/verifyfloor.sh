#!/usr/bin/env bash
# The floor under verify (issue 14): what SQLite itself, the C sqlite3
# command, spends on the reading verify cannot do without, on the same
# file: the log with each revision's content in order, the current states,
# the tree's stored hashes, every projection table in its key's order
# (deployment_words one deployment a row, as verify reads it), and FTS5's
# own check of each search index against its content. Nothing of Go, the
# driver, JSON or hashing is in it: a floor, not a rival.
#
# Each statement runs alone and prints its CPU (user + sys). The sum is
# what two cores share at best; the largest single statement is a floor
# under verify's wall time whatever else runs beside it, as one statement
# runs on one core.
#
#   DATA=DIR bash bench/verifyfloor.sh
#
# FTS5's check is its 'integrity-check' command, an INSERT that writes
# nothing: run on a connection that may write, inside a transaction rolled
# back. Needs sqlite3.
set -euo pipefail
: "${DATA:?DATA=DIR names a register}"
DB="$DATA/oversight.db"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(sqlite3 -readonly "$DB" 'SELECT count(*) FROM revisions') revisions"
total=0 largest=0 largest_name=
run() { # name, mode (ro|rw), statement
  local t
  t=$(mktemp)
  if [ "$2" = ro ]; then
    /usr/bin/time -f "%U %S %e" -o "$t" sqlite3 -readonly "$DB" "$3" >/dev/null
  else
    /usr/bin/time -f "%U %S %e" -o "$t" sqlite3 "$DB" "BEGIN; $3; ROLLBACK;" >/dev/null
  fi
  read -r u s w <"$t"
  rm -f "$t"
  local c
  c=$(awk "BEGIN{print $u + $s}")
  printf '%-28s %7.2f s CPU %7.2f s wall\n' "$1" "$c" "$w"
  total=$(awk "BEGIN{print $total + $c}")
  if awk "BEGIN{exit !($c > $largest)}"; then largest=$c largest_name=$1; fi
}
run "log and content" ro "SELECT r.seq, r.kind, r.entity_id, r.op, r.author, r.created_at, r.record, c.salt, c.content FROM revisions r LEFT JOIN revision_content c ON c.seq = r.seq ORDER BY r.seq"
run "states" ro "SELECT kind, id, seq, state FROM entities ORDER BY kind, id"
run "tree hashes" ro "SELECT idx, hash FROM tree_hashes ORDER BY idx"
run "checkpoints" ro "SELECT * FROM checkpoints"
run "sources" ro "SELECT kind, entity_id, key, url, title, publisher, published, accessed FROM sources ORDER BY kind, entity_id, key"
run "deployments" ro "SELECT id, jurisdiction, title, status, certainty, year, cameras, lat, lon FROM deployments ORDER BY id"
run "deployment_vendors" ro "SELECT deployment_id, vendor_id, role FROM deployment_vendors ORDER BY 1, 2, 3"
run "deployment_capabilities" ro "SELECT deployment_id, capability, jurisdiction, year FROM deployment_capabilities ORDER BY 1, 2"
run "deployment_financing" ro "SELECT * FROM deployment_financing ORDER BY 1, 2"
run "deployment_facts" ro "SELECT * FROM deployment_facts"
run "deployments_fts rows" ro "SELECT rowid, id, body FROM deployments_fts ORDER BY rowid"
run "deployment_words" ro "SELECT deployment_id, count(*), group_concat(word, ' ') FROM deployment_words GROUP BY deployment_id ORDER BY deployment_id"
run "search_words" ro "SELECT word FROM search_words ORDER BY word"
run "deployment_counts" ro "SELECT * FROM deployment_counts"
run "deployments_fts check" rw "INSERT INTO deployments_fts (deployments_fts) VALUES ('integrity-check')"
run "search_words_fts check" rw "INSERT INTO search_words_fts (search_words_fts) VALUES ('integrity-check')"
printf 'all: %.2f s CPU, %.2f s on each of two cores at best; the largest statement, %s, %.2f s on one core\n' "$total" "$(awk "BEGIN{print $total / 2}")" "$largest_name" "$largest"
