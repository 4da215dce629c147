#!/usr/bin/env bash
# Generates a registry, serves it on loopback and loads it, on SQLite and (when
# SHILPKOSH_BENCH_PG names an empty database it may drop and recreate) on PostgreSQL.
# Every figure is printed with the command that produced it.
#
#   bench/run.sh                                  # 100,000 artisans, 24 months, SQLite
#   ARTISANS=1000000 bench/run.sh                 # the state-scale set
#   SHILPKOSH_BENCH_PG=postgres://postgres@127.0.0.1:5432/shilpkosh_bench?sslmode=disable bench/run.sh
#   SKIP_SQLITE=1 SHILPKOSH_BENCH_PG=... bench/run.sh   # PostgreSQL only
#   IMPORT_ROWS=0 bench/run.sh                    # without the CSV and XLSX imports
set -euo pipefail
cd "$(dirname "$0")/.."

ARTISANS=${ARTISANS:-100000}
MONTHS=${MONTHS:-24}
DURATION=${DURATION:-10s}
IMPORT_ROWS=${IMPORT_ROWS:-100000} # rows of each import file (CSV, then XLSX); 0 skips the imports
PORT=${PORT:-8181}
WORK=${WORK:-$(mktemp -d /tmp/shilpkosh-bench.XXXXXX)}
export SHILPKOSH_ADMIN_PASSWORD=bench-admin-password
export SHILPKOSH_SECRET=bench-secret-bench-secret-bench-secret-0123
export SHILPKOSH_DATA_DIR=$WORK/data

go build -o "$WORK/shilpkosh" .
go build -o "$WORK/shilpkosh-bench" ./bench/cmd/shilpkosh-bench

run_one() {
	local url=$1
	export DATABASE_URL=$url
	echo "== $(echo "$url" | sed 's#//[^@]*@#//…@#') =="
	echo "\$ shilpkosh seed demo --artisans $ARTISANS --months $MONTHS --seed 1"
	/usr/bin/time -f "generate: %e s wall, peak RSS %M kB" \
		"$WORK/shilpkosh" seed demo --artisans "$ARTISANS" --months "$MONTHS" --seed 1 | grep -v "^ *[0-9.]*s  "
	# Reports first: a closed month's report, once archived, is served frozen from the
	# archive, so timing it after the server's schedule archived it would time a look-up.
	local month=${REPORT_MONTH:-$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m)}
	echo "\$ shilpkosh report district --district jaipur --month $month --out $WORK/jaipur.pdf"
	/usr/bin/time -f "report district: %e s wall, peak RSS %M kB" \
		"$WORK/shilpkosh" report district --district jaipur --month "$month" --out "$WORK/jaipur.pdf"
	echo "\$ shilpkosh report all --month $month --out $WORK/reports"
	/usr/bin/time -f "report all: %e s wall, peak RSS %M kB" \
		"$WORK/shilpkosh" report all --month "$month" --out "$WORK/reports"
	# The reports were just timed and archived by hand, so this instance does not also
	# build the month's reports in the background while it is loaded.
	SHILPKOSH_REPORT_SCHEDULE=off SHILPKOSH_ADDR=127.0.0.1:$PORT "$WORK/shilpkosh" serve >"$WORK/serve.log" 2>&1 &
	local pid=$!
	trap 'kill $pid 2>/dev/null || true' EXIT
	for _ in $(seq 100); do
		curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break
		sleep 0.2
	done
	"$WORK/shilpkosh-bench" --url "http://127.0.0.1:$PORT" --pid "$pid" --duration "$DURATION"
	# Imports last: they add IMPORT_ROWS × 2 artisans to the registry the load read.
	if [ "$IMPORT_ROWS" -gt 0 ]; then
		echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
		"$WORK/shilpkosh-bench" --url "http://127.0.0.1:$PORT" --pid "$pid" --import-rows "$IMPORT_ROWS"
		echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
	fi
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	trap - EXIT
}

if [ -z "${SKIP_SQLITE:-}" ]; then
	rm -f "$WORK/bench.db"*
	run_one "sqlite:$WORK/bench.db"
fi
if [ -n "${SHILPKOSH_BENCH_PG:-}" ]; then
	db=$(echo "$SHILPKOSH_BENCH_PG" | sed -E 's#.*/([^/?]+)(\?.*)?$#\1#')
	admin=$(echo "$SHILPKOSH_BENCH_PG" | sed -E "s#/$db#/postgres#")
	psql "$admin" -qc "DROP DATABASE IF EXISTS $db" \
		-c "CREATE DATABASE $db TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
	run_one "$SHILPKOSH_BENCH_PG"
fi
