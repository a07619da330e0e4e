#!/usr/bin/env bash
# Samples a running server's memory from /proc until it exits, a line
# every INTERVAL seconds (default 1): the time, its resident memory split
# into anonymous (heaps: Go's and SQLite's) and file-backed (mapped files:
# the binary, SQLite's WAL index, the database itself when mmap_size is
# set), the peak so far (VmHWM), its threads, and how many SQLite
# connections it holds open (descriptors on the database file: every
# connection opens it, and each has a page cache of its own). The last
# line gives the peak of each column. Sizes in MB.
#
#   bash bench/memwatch.sh PID [INTERVAL] >mem.log
set -euo pipefail
pid=$1 every=${2:-1}
kb() { awk -v k="$1:" '$1 == k { print int($2 / 1024) }' "/proc/$pid/status"; }
threads() { awk '$1 == "Threads:" { print $2 }' "/proc/$pid/status"; }
conns() { { find "/proc/$pid/fd" -lname '*.db' 2>/dev/null || true; } | wc -l; }
echo "time rss anon file hwm threads conns"
peak="0 0 0 0 0 0"
while [ -e "/proc/$pid/status" ]; do
  line="$(kb VmRSS) $(kb RssAnon) $(kb RssFile) $(kb VmHWM) $(threads) $(conns)" || break
  echo "$(date +%T) $line"
  peak=$(echo "$peak $line" | awk '{ for (i = 1; i <= 6; i++) printf "%d ", ($i > $(i + 6) ? $i : $(i + 6)) }')
  sleep "$every"
done
echo "peak $peak"
