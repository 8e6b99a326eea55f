#!/bin/sh
# One-shot job (the temporal-admin-tools service): registers the booking workflow's search
# attributes as Keyword in the namespace, so operators can filter the Temporal UI by
# BookingRequestId, TrainerId, ClientId, BookingStatus and SeriesId. Safe to run on every start:
# attributes that exist are left alone. Keep the names in step with SEARCH_ATTRIBUTES in
# workflows/contract.ts (test/ops/compose.test.ts checks that they match).
set -eu

ADDRESS="${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS is required}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"

# auto-setup creates the namespace in the background once the server is up.
attempt=0
until temporal operator namespace describe --address "$ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 90 ]; then
    echo "namespace $NAMESPACE did not appear at $ADDRESS" >&2
    exit 1
  fi
  sleep 2
done

for name in BookingRequestId TrainerId ClientId BookingStatus SeriesId; do
  if temporal operator search-attribute list --address "$ADDRESS" --namespace "$NAMESPACE" | grep -qw "$name"; then
    echo "search attribute $name already registered"
  else
    temporal operator search-attribute create --address "$ADDRESS" --namespace "$NAMESPACE" --name "$name" --type Keyword
    echo "search attribute $name registered"
  fi
done
