#!/bin/sh
# The API fuzzer (issue: every operation of the OpenAPI document, a read-write key):
# schemathesis generates requests from /api/v1/openapi.json against a server holding
# the demo tenant and checks that none gets a server error and every response —
# status, content type, headers, body — is what the document says.
# Usage: tests/api_fuzz.sh [postgres://…/database-to-recreate]   (SQLite by default)
set -eu
BIN=${MSPDESK_BIN:-target/debug/mspdesk}
PORT=${MSPDESK_FUZZ_PORT:-18731}
EXAMPLES=${MSPDESK_FUZZ_EXAMPLES:-12}
# Called as a module: a fresh pip install's `st` script may not be on PATH yet.
python3 -c 'import schemathesis' 2>/dev/null || python3 -m pip install --quiet 'schemathesis==4.32.5'
dir=$(mktemp -d)
. "$(dirname "$0")/fresh_database.sh"
fresh_database "${1:-}"
export MSPDESK_DATA_DIR="$dir" MSPDESK_BIND="127.0.0.1:$PORT" MSPDESK_JOB_WORKERS=0 \
    MSPDESK_API_REQUESTS_PER_MINUTE=100000000 RUST_LOG=error
"$BIN" demo >/dev/null
KEY=$("$BIN" api-key --as admin@demo.test --name "API fuzzer")
"$BIN" serve >"$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
# The key must open the API, or every case would pass as a 401.
python3 - "$PORT" "$KEY" <<'PY'
import sys, time, urllib.request
port, key = sys.argv[1], sys.argv[2]
for _ in range(120):
    try:
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/clients/1",
                                     headers={"Authorization": f"Bearer {key}"})
        urllib.request.urlopen(req).read()
        break
    except urllib.error.HTTPError as e:
        sys.exit(f"the fuzzer's key is refused: {e.code}")
    except OSError:
        time.sleep(0.5)
else:
    sys.exit("the server did not start")
PY
# The demo's first client, so that lists and creates reach real rows (ids that do not
# exist are fuzzed too: every other id).
printf '[parameters]\n"path.cid" = 1\n' >"$dir/schemathesis.toml"
status=0
python3 -m schemathesis.cli --config-file "$dir/schemathesis.toml" run "http://127.0.0.1:$PORT/api/v1/openapi.json" --wait-for-schema 60 \
    --header "Authorization: Bearer $KEY" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
    --phases examples,coverage,fuzzing --max-examples "$EXAMPLES" --seed 20261128 \
    --generation-deterministic --no-color --output-truncate true || status=$?
if [ $status -ne 0 ]; then tail -n 30 "$dir/server.log"; fi
exit $status
