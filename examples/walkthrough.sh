#!/usr/bin/env bash
# One case from creation to COMPLETED, over HTTP, as an applicant and an officer would drive it:
# the AIC certificate, every document of the checklist (uploaded and accepted), assignment,
# submission, initial review, SMS check, MIIT approval and the DNS resolution check, which asks a
# DNS server this script starts on loopback (ICP_DNS_SERVERS) where the domain points.
#
#   examples/walkthrough.sh           starts `npm start` itself on free ports, stops it at the end
#
# Needs curl and jq. Ports: PORT, TEMPORAL_DEV_PORT, TEMPORAL_UI_PORT, ICP_WORKER_METRICS_PORT are
# taken from the environment when set, otherwise free ones are picked (so a running `npm start`
# on the defaults is left alone). Temporal's state goes to a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v jq >/dev/null || { echo "walkthrough: needs jq (apt-get install jq)" >&2; exit 1; }

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
export PORT=${PORT:-$(free_port)} TEMPORAL_DEV_PORT=${TEMPORAL_DEV_PORT:-$(free_port)}
export TEMPORAL_UI_PORT=${TEMPORAL_UI_PORT:-$(free_port)} ICP_WORKER_METRICS_PORT=${ICP_WORKER_METRICS_PORT:-$(free_port)}
TEMPORAL_DATA=$(mktemp -d)
export ICP_TEMPORAL_DATA_DIR=${ICP_TEMPORAL_DATA_DIR:-$TEMPORAL_DATA} LOG_LEVEL=${LOG_LEVEL:-warn}
unset TEMPORAL_ADDRESS
BASE=http://127.0.0.1:$PORT
WORK=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK" "$TEMPORAL_DATA"
}
trap cleanup EXIT

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
# api METHOD PATH [JSON]: prints the response body; stops the walk on a status other than 2xx.
api() {
  local method=$1 path=$2 body=${3:-}
  local args=(-sS -o "$WORK/body" -w '%{http_code}' -X "$method" -H 'X-Actor: officer.zhang' "$BASE$path")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' -d "$body")
  local status
  status=$(curl "${args[@]}")
  echo "   $method $path -> $status" >&2
  if [[ $status != 2* ]]; then cat "$WORK/body" >&2; echo >&2; exit 1; fi
  cat "$WORK/body"
}

step "A DNS server on loopback: contoso-walkthrough.cn points at the case's SLB (47.98.10.20)"
node examples/dns-server.js '{"contoso-walkthrough.cn":{"A":["47.98.10.20"]}}' > "$WORK/dns" &
pids+=($!)
until [ -s "$WORK/dns" ]; do sleep 0.1; done
export ICP_DNS_SERVERS=$(cat "$WORK/dns")
echo "   ICP_DNS_SERVERS=$ICP_DNS_SERVERS"

step "npm start on port $PORT (Temporal dev server on $TEMPORAL_DEV_PORT, UI on $TEMPORAL_UI_PORT)"
node scripts/start.js > "$WORK/start.log" 2>&1 &
pids+=($!)
until grep -q '\[start\] ready' "$WORK/start.log"; do
  if ! kill -0 "${pids[1]}" 2>/dev/null; then cat "$WORK/start.log" >&2; exit 1; fi
  sleep 0.5
done
grep '^\[start\]' "$WORK/start.log" | sed 's/^/   /'

step "Create the case (examples/case.json: an enterprise without a mainland branch)"
body=$(jq --arg n "Contoso GmbH $RANDOM$RANDOM" '.applicant.name = $n | .websites[0].domains = ["contoso-walkthrough.cn"]' examples/case.json)
id=$(api POST /v1/cases "$body" | jq -r '.id, .stage' | tee /dev/stderr | head -1)

step "The AIC certificate: applied for, then recorded"
api POST "/v1/cases/$id/certificate-application" '{"authority":"Hangzhou AIC","appliedAt":"2026-11-20"}' | jq -r .stage
api POST "/v1/cases/$id/certificate" '{"number":"330100400099999","province":"CN-ZJ","validUntil":"2031-12-31"}' | jq -r .stage

step "Every document of the checklist: uploaded by the applicant, accepted by the officer"
printf '%%PDF-1.4\n%% walkthrough\n%%%%EOF\n' > "$WORK/doc.pdf"
api GET "/v1/cases/$id/documents" | jq -c '.checklist[] | select(.satisfied | not) | {type, websiteIndex}' > "$WORK/slots"
while read -r slot; do
  type=$(jq -r .type <<<"$slot")
  index=$(jq -r '.websiteIndex // empty' <<<"$slot")
  echo "   upload $type${index:+ (website $index)}" >&2
  printf '%% %s %s\n' "$type" "$index" >> "$WORK/doc.pdf" # other bytes for every slot
  form=(-F "type=$type" -F "file=@$WORK/doc.pdf;type=application/pdf")
  [ -n "$index" ] && form+=(-F "websiteIndex=$index")
  doc=$(curl -sS -f -H 'X-Actor: applicant' "${form[@]}" "$BASE/v1/cases/$id/documents" | jq -r .id)
  api POST "/v1/cases/$id/documents/$doc/review" '{"decision":"ACCEPTED"}' > /dev/null
done < "$WORK/slots"

step "Assign, submit, initial review, SMS check, MIIT approval"
api POST "/v1/cases/$id/assign" '{"assignee":"officer.li"}' | jq -r .stage
api POST "/v1/cases/$id/submit" '{}' | jq -r .stage
api POST "/v1/cases/$id/initial-review" '{"decision":"APPROVED"}' | jq -r .stage
api POST "/v1/cases/$id/sms-verification" '{}' | jq -r .stage
api POST "/v1/cases/$id/miit-decision" '{"decision":"APPROVED","icpNumber":"浙ICP备2026001234号-1"}' | jq -r '.stage, .icpNumber'

step "Resolution: the worker asks the loopback DNS server where contoso-walkthrough.cn points"
stage=$(api POST "/v1/cases/$id/resolution" '{}' | jq -r .stage)
echo "$stage"

step "The audit trail"
api GET "/v1/cases/$id/events" | jq -r '.items[] | "   \(.seq)\t\(.type)\t\(.actor)\t\(.fromStage // "-") -> \(.toStage)"'
[ "$stage" = COMPLETED ] || { echo "walkthrough: ended in $stage, not COMPLETED" >&2; exit 1; }
echo
echo "Case $id is COMPLETED. Its workflow: Case:$id in the Temporal UI at http://127.0.0.1:$TEMPORAL_UI_PORT"
