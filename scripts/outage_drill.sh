#!/usr/bin/env bash
# The outage drill: shows, against a real PostgreSQL and the production web server, that
#   1. while the database is down, pages answer 503 with a plain page within 5 seconds,
#      /readyz answers 503 and /healthz still answers 200;
#   2. the same holds when the database hangs (accepts connections, never answers);
#   3. when the database comes back, the site recovers by itself, without a restart.
#
# It makes a throwaway PostgreSQL cluster on a spare port in a temporary folder, and
# removes it at the end. It never touches any other PostgreSQL server.
#
#   scripts/outage_drill.sh            (or: make outage-drill)
#   APP_PORT=8109 PG_PORT=55439 scripts/outage_drill.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
APP_PORT=${APP_PORT:-8109}
LIMIT_SECONDS=5
[ -x "$PY" ] || { echo "Run 'make install' first."; exit 1; }

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PG_PORT=${PG_PORT:-$(free_port)}

pg_bin=$(pg_config --bindir 2>/dev/null || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
[ -x "$pg_bin/initdb" ] || { echo "PostgreSQL's server programs (initdb, pg_ctl) were not found."; exit 1; }

work=$(mktemp -d -t bigsociety-drill.XXXXXX)
# PostgreSQL refuses to run as root: run its programs as the postgres user then.
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$work"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

app_pid="" listener_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
  [ -n "$listener_pid" ] && kill "$listener_pid" 2>/dev/null && wait "$listener_pid" 2>/dev/null
  as_pg "$pg_bin/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

start_db() {
  as_pg "$pg_bin/pg_ctl" -D "$work/data" -l "$work/postgresql.log" -w \
    -o "-p $PG_PORT -k $work -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
}
stop_db() { as_pg "$pg_bin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null; }

failures=0
# check LABEL PATH STATUS [TEXT]: the page answers STATUS within LIMIT_SECONDS (and says TEXT).
check() {
  local label=$1 path=$2 expected=$3 text=${4:-} result status seconds
  result=$(curl -s -o "$work/body" -w '%{http_code} %{time_total}' --max-time 20 \
    "http://127.0.0.1:$APP_PORT$path" || echo "000 20")
  read -r status seconds <<<"$result"
  local verdict=PASS
  if [ "$status" != "$expected" ]; then verdict=FAIL; fi
  if ! "$PY" -c "import sys; sys.exit(0 if float('$seconds') < $LIMIT_SECONDS else 1)"; then
    verdict=FAIL
  fi
  if [ -n "$text" ] && ! grep -q "$text" "$work/body"; then verdict=FAIL; fi
  [ "$verdict" = FAIL ] && failures=$((failures + 1))
  printf '  %-4s %-44s %s in %5.2f s (expected %s)\n' "$verdict" "$label: $path" "$status" "$seconds" "$expected"
}

echo "== A throwaway PostgreSQL on port $PG_PORT"
as_pg "$pg_bin/initdb" -D "$work/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null
start_db
as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres drill

export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/drill"
export SECRET_KEY="outage-drill-only-$(date +%s)-not-a-real-secret-key-0123456789abcdef"
export DEBUG=0 HTTPS=0 ALLOWED_HOSTS=127.0.0.1 STATIC_ROOT="$work/static" LOG_LEVEL=WARNING
export DATABASE_CONNECT_TIMEOUT=${DATABASE_CONNECT_TIMEOUT:-3}

echo "== The site, as in production (gunicorn) on port $APP_PORT"
"$PY" manage.py migrate --no-input -v 0
"$PY" manage.py createcachetable
"$PY" manage.py collectstatic --no-input -v 0
"$PY" -m gunicorn bigsociety.wsgi --bind "127.0.0.1:$APP_PORT" --workers 2 --timeout 30 \
  --error-logfile "$work/gunicorn.log" &
app_pid=$!
for _ in $(seq 1 50); do
  curl -s -o /dev/null "http://127.0.0.1:$APP_PORT/healthz" && break
  sleep 0.2
done

echo "== 1. The database is up"
check "a page from the database" /services/ 200
check "ready" /readyz 200

echo "== 2. The database is stopped"
stop_db
check "a page from the database" /services/ 503 "the service is unavailable"
check "ready" /readyz 503
check "alive" /healthz 200

echo "== 3. The database hangs: it takes connections and never answers"
"$PY" -c "
import socket
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(('127.0.0.1', $PG_PORT))
server.listen(64)
held = []
while True:
    held.append(server.accept()[0])
" &
listener_pid=$!
sleep 0.5
check "a page from the database" /services/ 503 "the service is unavailable"
check "ready" /readyz 503
kill "$listener_pid"; wait "$listener_pid" 2>/dev/null || true; listener_pid=""

echo "== 4. The database is back: the site recovers without a restart"
start_db
check "a page from the database" /services/ 200
check "ready" /readyz 200
check "another page from the database" /have-your-say/ 200

if [ "$failures" -ne 0 ]; then
  echo "== The drill FAILED ($failures check(s)). The server's log:"
  tail -n 40 "$work/gunicorn.log" || true
  exit 1
fi
echo "== The drill passed"
