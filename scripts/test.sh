#!/usr/bin/env bash
# Run the test suite against a real Redis (TEST_REDIS_URL, default index 15, flushed around
# each test) and SQLite, plus PostgreSQL when TEST_DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"
if ! .venv/bin/python -c "import redis,sys; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=1).ping()" \
    "$TEST_REDIS_URL" 2>/dev/null; then
  echo "No Redis answers at $TEST_REDIS_URL. Start one (e.g. 'redis-server --daemonize yes') or set TEST_REDIS_URL." >&2
  exit 1
fi
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "Databases: SQLite and ${TEST_DATABASE_URL%%@*}@…"
else
  echo "Databases: SQLite only (set TEST_DATABASE_URL=postgresql://… to add PostgreSQL)"
fi
exec .venv/bin/python -m pytest "$@"
