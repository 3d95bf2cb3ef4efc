#!/usr/bin/env bash
# `make run`: make sure Redis answers, migrate, seed demo data, then serve the web app
# (gunicorn) and an RQ worker in the foreground; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${PORT:-8000}"
[ -f .env ] && set -a && . ./.env && set +a
REDIS_URL="${REDIS_URL:-redis://localhost:6379/0}"
export REDIS_URL
mkdir -p instance
pids=()
redis_pid=""
cleanup() {
  # Web and worker first, so the worker does not lose its Redis mid-shutdown; Redis last.
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$redis_pid" ]; then kill -TERM "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; fi
}
trap cleanup INT TERM EXIT

redis_up() { $BIN/python -c "import redis,sys; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=1).ping()" "$REDIS_URL" 2>/dev/null; }
if ! redis_up; then
  if command -v redis-server >/dev/null; then
    port=$($BIN/python -c "import sys; from urllib.parse import urlparse; print(urlparse(sys.argv[1]).port or 6379)" "$REDIS_URL")
    echo "No Redis at $REDIS_URL: starting one for this session (data in instance/redis)."
    mkdir -p instance/redis
    setsid redis-server --port "$port" --bind 127.0.0.1 --dir instance/redis --appendonly yes --save "" \
      --logfile "$PWD/instance/redis/redis.log" &
    redis_pid=$!
    for _ in $(seq 50); do redis_up && break; sleep 0.1; done
    redis_up || { echo "redis-server did not start; see instance/redis/redis.log" >&2; exit 1; }
  else
    echo "Melek needs Redis and none answers at $REDIS_URL." >&2
    echo "Install it (Debian/Ubuntu: 'sudo apt-get install redis-server'; macOS: 'brew install redis')," >&2
    echo "or point REDIS_URL at a running one, then run 'make run' again." >&2
    exit 1
  fi
fi

$BIN/flask db upgrade
$BIN/flask seed --demo

export PROMETHEUS_MULTIPROC_DIR="$PWD/instance/prometheus"
rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
# Each child in its own session: Ctrl-C reaches only this script, whose cleanup then stops
# web, worker and Redis in that order, each exactly once.
setsid $BIN/gunicorn --bind "127.0.0.1:$PORT" --access-logfile - wsgi:app &  # settings: gunicorn.conf.py
pids+=($!)
setsid $BIN/flask worker &
pids+=($!)

cat <<MSG

  Melek is running.
    USSD webhook   http://127.0.0.1:$PORT/ussd      SMS webhook  http://127.0.0.1:$PORT/sms/inbound
    Health         http://127.0.0.1:$PORT/readyz    Metrics      http://127.0.0.1:$PORT/metrics
    Admin console  http://127.0.0.1:$PORT/console/  (an admin first: .venv/bin/flask admins create NAME --role province,
                   then .venv/bin/flask admins set-password NAME)
  Try it (demo number +6281350000001, PIN 7391):
    .venv/bin/flask ussd-sim --phone +6281350000001 --url http://127.0.0.1:$PORT/ussd
    curl -d 'sessionId=s1&serviceCode=*818#&phoneNumber=+6281350000001&networkCode=51010&text=' http://127.0.0.1:$PORT/ussd
  Ctrl-C stops everything.

MSG
wait -n "${pids[@]}"
