#!/usr/bin/env bash
# Single-page throughput with wrk: a bare Flask app (bench/bare_app.py, same gunicorn settings,
# started beside the app) as the reference, measured in every round before the app's pages:
# /healthz, a shop page, a product page, home, the shop directory, the search page and the
# search API, all as anonymous visitors; 3 rounds, ratios to the bare app of the same round.
#   bench/throughput.sh                 # needs: bench/seed_scaled.py once, wrk (apt-get install wrk)
#   ROUNDS=3 DURATION=10 CONNECTIONS=20 bench/throughput.sh
# Starts its own gunicorn -w 2 + Stripe emulator on 127.0.0.1:8090 (bench/server.py) and writes the
# medians to docs/benchmarks.md (NO_WRITE=1 to leave it alone).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-20}
PORT=${BENCH_PORT:-8090}
BARE_PORT=${BENCH_BARE_PORT:-8091}
DB=${BENCH_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/vitrine_bench}
BASE="http://127.0.0.1:${PORT}"
WORK=$(mktemp -d)
AGENT="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

# A shop of typical size and a product of it (the same ones each run).
read -r SHOP PRODUCT < <(.venv/bin/python - "$DB" <<'PY'
import sys
from sqlalchemy import create_engine, text
with create_engine(sys.argv[1]).connect() as c:
    shop, pid, slug = c.execute(text(
        "SELECT s.slug, p.id, p.slug FROM shops s JOIN products p ON p.shop_id = s.id"
        " WHERE s.status = 'published' AND p.is_active AND p.hidden_reason IS NULL"
        " AND s.id = (SELECT shop_id FROM products GROUP BY shop_id"
        "             ORDER BY abs(count(*) - 200), shop_id LIMIT 1)"
        " ORDER BY p.id LIMIT 1")).one()
print(f"/shops/{shop}", f"/shops/{shop}/products/{pid}-{slug}")
PY
)
BARE="http://127.0.0.1:${BARE_PORT}/"
QUERY=${BENCH_QUERY:-pain}
CATEGORY=${BENCH_CATEGORY:-boulangerie}
PAGES=("$BARE" /healthz "$SHOP" "$PRODUCT" / /shops "/shops?category=$CATEGORY" /map
       "/search?q=$QUERY" "/api/v1/search?q=$QUERY")

.venv/bin/python bench/server.py >"$WORK/server.out" 2>&1 &
SERVER=$!
GUNICORN_BIND="127.0.0.1:${BARE_PORT}" WEB_CONCURRENCY="${BENCH_WORKERS:-2}" \
  GUNICORN_THREADS="${BENCH_THREADS:-4}" GUNICORN_MAX_REQUESTS=0 LOG_LEVEL=warning \
  .venv/bin/gunicorn -c gunicorn.conf.py bench.bare_app:app >"$WORK/bare.out" 2>&1 &
BARE_SERVER=$!
trap 'kill "$SERVER" "$BARE_SERVER" 2>/dev/null; wait "$SERVER" "$BARE_SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do grep -q "ready" "$WORK/server.out" && break; sleep 0.5; done
grep -q "ready" "$WORK/server.out" || { cat "$WORK/server.out"; exit 1; }
for _ in $(seq 60); do curl -sf -o /dev/null "$BARE" && break; sleep 0.5; done
curl -sf -o /dev/null "$BARE" || { cat "$WORK/bare.out"; exit 1; }
url_of() { case "$1" in http*) echo "$1" ;; *) echo "$BASE$1" ;; esac; }
for _ in 1 2 3 4; do  # warm each worker's caches (and open the search index in each)
  for page in "${PAGES[@]}"; do curl -sf -o /dev/null "$(url_of "$page")"; done
done

TSV="$WORK/results.tsv"
printf 'meta\twhen\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" >"$TSV"
printf 'meta\twrk\t-t2 -c%s -d%ss --timeout 5s\n' "$CONNECTIONS" "$DURATION" >>"$TSV"
printf 'meta\tthreads\t%s\n' "${BENCH_THREADS:-4}" >>"$TSV"
printf 'meta\tcache\t%s\n' "${PAGE_CACHE_SIZE:-2048}" >>"$TSV"
printf 'meta\tload_before\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$TSV"
printf 'meta\tshop\t%s\nmeta\tproduct\t%s\n' "$SHOP" "$PRODUCT" >>"$TSV"
# One wrk run: measure ROUND NAME URL SECONDS (a TSV row and a printed line).
measure() {
  # --timeout 5s: wrk's default (2 s) would count a slow answer on this shared machine as an error.
  # A browser's name: wrk sends none, and a nameless client is a robot the visit counters skip.
  wrk -t2 -c"$CONNECTIONS" -d"$4s" --timeout 5s --latency -H "User-Agent: $AGENT" "$3" >"$WORK/wrk.txt"
  grep -E "Non-2xx|Socket errors" "$WORK/wrk.txt" | sed "s|^|  $2: |" >&2 || true
  rps=$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$WORK/wrk.txt")
  p90=$(awk '$1 == "90%" {print $2}' "$WORK/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")
  errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$WORK/wrk.txt")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$rps" "$p50" "$p90" "$p99" "$errors" >>"$TSV"
  printf 'round %s  %-60s %10s req/s  p50 %s  p90 %s  p99 %s  errors %s\n' \
    "$1" "$2" "$rps" "$p50" "$p90" "$p99" "$errors"
}
# The machine slows down in bursts of tens of seconds (other tenants): besides the bare app at the
# start of each round, each page is compared with the bare app measured just before it
# ("bare@PAGE", PAIR seconds), so that a burst rarely falls on one side of a ratio only.
PAIR=${PAIR:-5}
for round in $(seq "$ROUNDS"); do
  printf 'meta\tload_round_%s\t%s\n' "$round" "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$TSV"
  for page in "${PAGES[@]}"; do
    if [ "$page" = "$BARE" ]; then
      measure "$round" bare "$BARE" "$DURATION"
    else
      measure "$round" "bare@$page" "$BARE" "$PAIR"
      measure "$round" "$page" "$(url_of "$page")" "$DURATION"
    fi
  done
done
printf 'meta\tload_after\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$TSV"
# The ratios of this run: page req/s over the bare app's just before it, per round.
awk -F'\t' '$1 != "meta" {rps[$1, $2] = $3; if ($2 !~ /^bare/ && !($2 in seen)) {seen[$2] = 1; order[++n] = $2}; r[$1] = 1}
  END {for (i = 1; i <= n; i++) {printf "%s: ", order[i]; for (k in r) printf "%.0f%% ", 100 * rps[k, order[i]] / rps[k, "bare@" order[i]]; print "of the bare app just before"}}' "$TSV"
if [ -n "${KEEP_TSV:-}" ]; then cp "$TSV" "$KEEP_TSV"; fi  # e.g. to compare before and after
if [ -z "${NO_WRITE:-}" ]; then
  .venv/bin/python bench/load_report.py throughput "$TSV"
  echo "docs/benchmarks.md updated (throughput section)."
fi
