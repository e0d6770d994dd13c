#!/usr/bin/env bash
# Schemathesis over the whole OpenAPI schema against a served instance: zero server errors.
# Usage: .ci/schemathesis.sh DATABASE_URL [MAX_EXAMPLES]   (bounded: a few minutes at most)
set -euo pipefail
cd "$(dirname "$0")/.."
database_url="$1"
max_examples="${2:-10}"
workdir=$(mktemp -d)
port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$workdir"
}
trap cleanup EXIT

export MARKETPLACE_DATABASE_URL="$database_url"
export MARKETPLACE_SECRET_KEY="schemathesis-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))')"
export MARKETPLACE_ENVIRONMENT=test
export MARKETPLACE_MEDIA_ROOT="$workdir/media"
export MARKETPLACE_PASSWORD_HASH_TIME_COST=1
export MARKETPLACE_PASSWORD_HASH_MEMORY_KIB=1024
export MARKETPLACE_REGISTRATIONS_PER_ADDRESS="100000/hour"
export MARKETPLACE_ORDERS_PER_ADDRESS="100000/hour"
export MARKETPLACE_ORDERS_PER_BUYER_EMAIL="100000/hour"
export MARKETPLACE_LOG_JSON=false
export MARKETPLACE_LOG_LEVEL=WARNING
unset MARKETPLACE_REDIS_URL MARKETPLACE_SMTP_URL MARKETPLACE_STRIPE_SECRET_KEY || true

.venv/bin/marketplace db upgrade >/dev/null
.venv/bin/marketplace serve --port "$port" >"$workdir/server.log" 2>&1 &
server_pid=$!
ready=""
for _ in $(seq 1 300); do
    if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then ready=1; break; fi
    sleep 0.2
done
if [ -z "$ready" ]; then
    echo "the server did not start"; cat "$workdir/server.log"; exit 1
fi

status=0
.venv/bin/st --config-file .ci/schemathesis.toml run "http://127.0.0.1:$port/openapi.json" \
    --checks not_a_server_error \
    --max-examples "$max_examples" \
    --generation-deterministic \
    --request-timeout 20 \
    --workers 2 \
    --no-color || status=$?
if [ "$status" -ne 0 ]; then
    echo "--- server log (tail)"; tail -n 80 "$workdir/server.log"
fi
exit "$status"
