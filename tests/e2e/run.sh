#!/bin/sh
# End-to-end checks in Debian's Chromium (tests/e2e/check.mjs) against a server holding
# the demo tenant: user stories per role, no sideways scroll at 390 px, axe-core (0
# serious or critical), one h1 per page, and the Nu HTML checker on every page's HTML.
# Usage: tests/e2e/run.sh [postgres://…/database-to-recreate]   (SQLite by default)
#        MSPDESK_SCREENSHOTS=dir tests/e2e/run.sh   also saves screenshots (make screenshots)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BIN=${MSPDESK_BIN:-target/debug/mspdesk}
PORT=${MSPDESK_E2E_PORT:-18741}
[ -x /usr/bin/chromium ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
[ -d "$here/node_modules/playwright-core" ] || (cd "$here" && npm ci --no-audit --no-fund --silent)
dir=$(mktemp -d)
. "$here/../fresh_database.sh"
fresh_database "${1:-}"
export MSPDESK_DATA_DIR="$dir" MSPDESK_BIND="127.0.0.1:$PORT" MSPDESK_JOB_WORKERS=0 RUST_LOG=error
"$BIN" demo >/dev/null
"$BIN" serve >"$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$PORT/login" >/dev/null 2>&1 && break
    sleep 0.5
done
status=0
node "$here/check.mjs" "http://127.0.0.1:$PORT" "$dir/html" || status=$?
if [ $status -eq 0 ]; then
    java -jar "$here/node_modules/vnu-jar/build/dist/vnu.jar" --errors-only --format gnu "$dir"/html/*.html || status=$?
fi
if [ $status -ne 0 ]; then tail -n 20 "$dir/server.log"; fi
exit $status
