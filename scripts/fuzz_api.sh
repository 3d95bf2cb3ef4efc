#!/usr/bin/env bash
# Fuzz the admin API with Schemathesis from its own /api/openapi.json: a fresh SQLite
# database, the app under gunicorn on a free port, a province and a regency token, two
# clients at once (one per token) for FUZZ_SECONDS each, then 15 s more for the operations
# that switch admins and tokens off. Exits non-zero on any failure.
#
#   FUZZ_SECONDS   time budget of each client (default 60)
#   FUZZ_REDIS_URL Redis database to use (default TEST_REDIS_URL, else index 13); flushed first
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
BIN=.venv/bin
SECONDS_EACH="${FUZZ_SECONDS:-60}"
REDIS="${FUZZ_REDIS_URL:-${TEST_REDIS_URL:-redis://127.0.0.1:6379/13}}"
WORK="$(mktemp -d)"
PORT="$($BIN/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
server=""
cleanup() {
  if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

export MELEK_ENV=development DATABASE_URL="sqlite:///$WORK/fuzz.db" REDIS_URL="$REDIS" FLASK_APP=wsgi
export PROMETHEUS_MULTIPROC_DIR="$WORK/prometheus" WEB_CONCURRENCY=3
# The fuzzer's ignored_auth check sends thousands of wrong tokens from this one address and
# accepts only 401/403; the per-address failure limit (429, tests/test_api_auth.py) is lifted.
export API_AUTH_FAILURE_LIMIT=1000000
mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
$BIN/python -c "import redis,sys; redis.Redis.from_url(sys.argv[1]).flushdb()" "$REDIS"
$BIN/flask db upgrade >/dev/null 2>&1
$BIN/flask seed --demo >/dev/null
# A hundred other admins first, so made-up admin and token ids mostly hit them rather than
# the two whose tokens the fuzzer uses. Prints the province and the regency token.
read -r PROVINCE_TOKEN REGENCY_TOKEN < <($BIN/python - <<'PY'
from app import create_app
from app.registry.admins import create_admin
from app.registry.audit import CLI

with create_app().app_context():
    for n in range(100):
        create_admin(CLI, f"other-{n:03}", "regency", "6472")
    print(create_admin(CLI, "fuzz-province", "province").token, create_admin(CLI, "fuzz-regency", "regency", "6401").token)
PY
)

$BIN/gunicorn --bind "127.0.0.1:$PORT" --error-logfile "$WORK/gunicorn.log" wsgi:app >>"$WORK/gunicorn.log" 2>&1 &
server=$!
status_of() {  # HTTP status of a GET, 0 if no answer: status_of URL [TOKEN]
  $BIN/python - "$@" <<'PY'
import sys, urllib.error, urllib.request
request = urllib.request.Request(sys.argv[1], headers={"Authorization": f"Bearer {sys.argv[2]}"} if len(sys.argv) > 2 else {})
try:
    print(urllib.request.urlopen(request, timeout=5).status)
except urllib.error.HTTPError as exc:
    print(exc.code)
except OSError:
    print(0)
PY
}
for _ in $(seq 100); do [ "$(status_of "http://127.0.0.1:$PORT/healthz")" = 200 ] && break; sleep 0.1; done

CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
CHECKS=$CHECKS,negative_data_rejection,ignored_auth,use_after_free
fuzz() {  # one client: its token, its report file, its time, then filters
  local token="$1" report="$2" seconds="$3"
  shift 3
  (cd "$WORK" && "$ROOT/$BIN/schemathesis" run "http://127.0.0.1:$PORT/api/openapi.json" --checks "$CHECKS" \
    --header "Authorization: Bearer $token" --max-time "$seconds" --workers 1 --request-timeout 30 \
    --suppress-health-check all --generation-database none --no-color --output-truncate true "$@") >"$report" 2>&1
}
# Both clients at once; the province's leaves out switching admins and tokens off, which its
# stateful phase would do to the regency client's own admin (found through GET /admins).
# Those two operations get a run of their own afterwards.
SWITCH_OFF='/(deactivate|revoke)$'
status=0
fuzz "$PROVINCE_TOKEN" "$WORK/province.txt" "$SECONDS_EACH" --exclude-path-regex "$SWITCH_OFF" &
p1=$!
fuzz "$REGENCY_TOKEN" "$WORK/regency.txt" "$SECONDS_EACH" &
p2=$!
wait "$p1" || status=1
wait "$p2" || status=1
for who in PROVINCE REGENCY; do  # both credentials must have lasted the whole concurrent run
  var="${who}_TOKEN"
  code="$(status_of "http://127.0.0.1:$PORT/api/v1/officials" "${!var}")"
  echo "$who token after the concurrent run: HTTP $code"
  [ "$code" = 200 ] || status=1
done
fuzz "$PROVINCE_TOKEN" "$WORK/switch-off.txt" 15 --include-path-regex "$SWITCH_OFF" || status=1
for who in province regency switch-off; do
  echo "=== schemathesis, $who token ==="
  tail -n 60 "$WORK/$who.txt"
done
if [ "$status" -ne 0 ]; then
  echo "=== gunicorn log (tail) ==="
  tail -n 80 "$WORK/gunicorn.log"
  cp "$WORK"/*.txt "${FUZZ_KEEP:-/tmp}/" 2>/dev/null || true
fi
exit "$status"
