#!/usr/bin/env bash
# Exit non-zero if cpp/dist/STAMP does not match the current sources (the committed WASM is stale).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
want="$(bash ./stamp.sh)"
have="$(cat dist/STAMP 2>/dev/null || echo missing)"
if [ "$want" != "$have" ]; then
  echo "cpp/check-stamp.sh: cpp/dist is stale (STAMP $have, sources hash to $want); run: bash cpp/build.sh" >&2
  exit 1
fi
echo "cpp/check-stamp.sh: cpp/dist matches sources ($want)"
