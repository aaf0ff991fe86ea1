#!/usr/bin/env bash
# Scripted ingestion, step by step: a worked example to copy and adapt.
#
#   scripts/ingest-example.sh                      # starts its own server on a scratch database
#   BILATERAL_URL=http://127.0.0.1:8080 BILATERAL_KEY=... scripts/ingest-example.sh   # a running one
#
# It creates a write key, posts a few records one by one with curl (retrying safely with
# Idempotency-Key), imports a file of records in one request, and checks what landed.
# Needs curl; BILATERAL_BIN names the `bilateral` executable (default: the release build).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bilateral=${BILATERAL_BIN:-$root/.build/release/bilateral}
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
say() { printf '\n# %s\n' "$*"; }

# --- 0. A server and a key ---------------------------------------------------------------------
url=${BILATERAL_URL:-}
key=${BILATERAL_KEY:-}
if [ -z "$url" ]; then
    say "Starting a server on a scratch database"
    "$bilateral" serve --port 0 --db "$work/ingest.sqlite" >"$work/stdout.log" 2>"$work/stderr.log" &
    pid=$!
    for _ in $(seq 1 100); do grep -q "listening on" "$work/stdout.log" 2>/dev/null && break; sleep 0.1; done
    url=$(grep -o 'http://[^ ]*' "$work/stdout.log" | head -n 1)
    [ -n "$url" ] || { echo "the server did not start"; cat "$work/stderr.log"; exit 1; }
    # Keys are made on the machine that holds the database; the token is printed once, last line.
    key=$("$bilateral" keys create --name ingest-example --db "$work/ingest.sqlite" | tail -n 1)
fi
echo "server: $url"
auth=(-H "Authorization: Bearer $key")

# curl that fails on HTTP errors but still prints the body (the problem details say what is wrong).
api() { curl -sS --fail-with-body --max-time 30 "$@"; }

# --- 1. One record at a time ----------------------------------------------------------------------
say "PUT creates or replaces a record with the id you choose (201 the first time, 200 after)"
api -X PUT "$url/v1/actors/hun-manet" "${auth[@]}" -H 'Content-Type: application/json' \
    -d '{"kind":"person","name":"Hun Manet","country":"KH"}'
echo
api -X PUT "$url/v1/actors/lloyd-austin" "${auth[@]}" -H 'Content-Type: application/json' \
    -d '{"kind":"person","name":"Lloyd Austin","country":"US"}'
echo

say "POST with an Idempotency-Key: a retry after a timeout replays the first answer, no duplicate"
source='{"id":"dod-readout-2024-06-04","title":"Readout of Secretary Austin meeting with Prime Minister Hun Manet","url":"https://www.defense.gov/News/Releases/"}'
for attempt in 1 2; do
    status=$(curl -sS -o "$work/answer.json" -w '%{http_code}' -X POST "$url/v1/sources" "${auth[@]}" \
        -H 'Content-Type: application/json' -H 'Idempotency-Key: source-dod-readout-2024-06-04' -d "$source")
    echo "attempt $attempt: HTTP $status"
done
[ "$status" = 201 ] || { echo "the retry should replay the 201"; cat "$work/answer.json"; exit 1; }

# --- 2. Many records in one request ---------------------------------------------------------------
say "An NDJSON file: one record per line, with its type; lines may refer to records further down"
# A meeting's initiative_ids and an initiative's meeting_ids are one relation, owned by the
# initiative: the link is named in the initiative's meeting_ids, and the meeting shows it
# (its initiative_ids is derived, and ignored on input).
cat >"$work/records.ndjson" <<'NDJSON'
{"type":"meeting","id":"austin-manet-2024-06-04","title":"Austin meets Prime Minister Hun Manet","date":"2024-06-04","kind":"meeting","location":{"city":"Phnom Penh","country":"KH"},"participants":[{"actor_id":"lloyd-austin","role":"guest"},{"actor_id":"hun-manet","role":"host"}],"topics":["military_training","demining"],"source_ids":["dod-readout-2024-06-04"]}
{"type":"statement","id":"austin-2024-06-04-1","speaker_id":"lloyd-austin","date":"2024-06-04","channel":"press_statement","text":"We discussed ways to strengthen our defense relationship.","meeting_id":"austin-manet-2024-06-04","source_ids":["dod-readout-2024-06-04"]}

{"type":"initiative","id":"demining-us-kh","title":"Demining and UXO clearance","area":"demining","countries":["KH","US"],"status":"under_discussion","status_date":"2024-06-04","meeting_ids":["austin-manet-2024-06-04"]}
NDJSON

say "A dry run first: every line checked, nothing written"
api -X POST "$url/v1/import?dry_run=true" "${auth[@]}" -H 'Content-Type: application/x-ndjson' \
    --data-binary @"$work/records.ndjson"
echo

say "The import itself, gzip-compressed on the way (all or nothing: one bad line and nothing is written)"
gzip -c "$work/records.ndjson" | api -X POST "$url/v1/import" "${auth[@]}" \
    -H 'Content-Type: application/x-ndjson' -H 'Content-Encoding: gzip' --data-binary @-
echo

say "Importing the same file again is safe: every line is unchanged, no version moves"
again=$(api -X POST "$url/v1/import" "${auth[@]}" -H 'Content-Type: application/x-ndjson' \
    --data-binary @"$work/records.ndjson")
echo "$again"
[[ "$again" == *'"unchanged":3'* ]] || { echo "expected 3 unchanged lines"; exit 1; }

say "A bad line: the answer names it (line, id, field), and nothing of the batch is written"
printf '%s\n' '{"type":"meeting","id":"bad","title":"No date","kind":"meeting","participants":[{"actor_id":"nobody","role":"host"}]}' \
    >"$work/bad.ndjson"
status=$(curl -sS -o "$work/answer.json" -w '%{http_code}' -X POST "$url/v1/import" "${auth[@]}" \
    -H 'Content-Type: application/x-ndjson' --data-binary @"$work/bad.ndjson")
echo "HTTP $status"; cat "$work/answer.json"; echo
[ "$status" = 422 ] || { echo "expected 422"; exit 1; }

# --- 3. Check the result --------------------------------------------------------------------------
say "What landed: the meeting, with the countries derived from its participants"
meeting=$(api "$url/v1/meetings/austin-manet-2024-06-04")
echo "$meeting"
[[ "$meeting" == *'"countries":["KH","US"]'* ]] || { echo "the meeting is missing or wrong"; exit 1; }
api "$url/v1/initiatives?status=under_discussion&area=demining"
echo

say "And everything as NDJSON again, ready for another server (GET /v1/export, or bilateral export)"
api "$url/v1/export" | tee "$work/export.ndjson" | cut -c1-100
lines=$(wc -l <"$work/export.ndjson")
[ "$lines" -eq 6 ] || { echo "expected 6 records in the export, got $lines"; exit 1; }
echo
echo "ingest example: ok"
