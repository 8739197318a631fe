#!/bin/sh
# One-shot: waits (bounded) for the Temporal frontend, then creates the namespace unless it exists.
# Fails loudly when the server never answers or the creation fails.
set -eu
address=temporal:7233
tries=0
until temporal operator cluster health --address "$address" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then echo "Temporal at $address did not become healthy in 120 s" >&2; exit 1; fi
  sleep 2
done
if temporal operator namespace describe --address "$address" --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; then
  echo "namespace $TEMPORAL_NAMESPACE exists"
else
  temporal operator namespace create --address "$address" --namespace "$TEMPORAL_NAMESPACE" --retention 30d
fi
