#!/usr/bin/env bash
# Print the sha256 over the inputs of the linalg build (sources, build.sh, exported.txt, this file),
# in a fixed order, so a stale committed artifact can be detected without emcc.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
{ ls src/*.cpp src/*.h 2>/dev/null | LC_ALL=C sort; echo build.sh; echo exported.txt; echo stamp.sh; } |
  while read -r f; do printf '%s\n' "$f"; sha256sum < "$f"; done | sha256sum | cut -d' ' -f1
