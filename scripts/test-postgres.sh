#!/usr/bin/env bash
# Runs the whole test suite against a real PostgreSQL server.
# With DATABASE_URL set, uses that server (each test file creates and drops its own database).
# Without it, starts a throwaway server from Debian's postgresql package on a free local port,
# and removes it afterwards.
#
# The Chromium walks (test/e2e/*browser*) are left out of this run: they test pages and the browser's scripts,
# which are the same on both engines, and they run in `npm test`; the routes they reach are also exercised
# on PostgreSQL by the in-process and real-server tests. That keeps CI (both runs) within its hour.
# `FANFARE_PG_BROWSER_WALKS=1` puts them back.
set -euo pipefail
WALKS=(--without-browser-walks)
if [ "${FANFARE_PG_BROWSER_WALKS:-}" = "1" ]; then WALKS=(); fi
cd "$(dirname "$0")/.."

if [ -n "${DATABASE_URL:-}" ]; then
  exec node scripts/run-tests.mjs "${WALKS[@]}" "$@"
fi

bash scripts/ensure-system-packages.sh postgresql
PGBIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
WORK=$(mktemp -d /tmp/fanfare-pg-XXXXXX)
RUN_AS=()
# PostgreSQL refuses to run as root: use the postgres system user then.
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
  chown postgres "$WORK"
  RUN_AS=(runuser -u postgres --)
fi

cleanup() {
  "${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"${RUN_AS[@]}" "$PGBIN/initdb" -D "$WORK/data" -U fanfare --auth=trust -E UTF8 --no-locale >/dev/null
"${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w \
  -o "-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
echo "Throwaway PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2

export DATABASE_URL="postgres://fanfare@127.0.0.1:$PORT/postgres"
node scripts/run-tests.mjs "${WALKS[@]}" "$@"
