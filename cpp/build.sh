#!/usr/bin/env bash
# Build the Eigen linear-algebra core to WebAssembly: cpp/dist/linalg.mjs (ES-module glue) and
# cpp/dist/linalg.wasm, plus cpp/dist/STAMP (sha256 of the inputs, checked by cpp/check-stamp.sh).
# Pinned toolchain: Debian emscripten 3.1.6 + Eigen 3.4.0 (see /work/shared/TOOLCHAIN.md).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

if ! command -v emcc >/dev/null 2>&1; then
  echo "cpp/build.sh: emcc not found. Install the pinned toolchain with:" >&2
  echo "  apt-get update && apt-get install -y emscripten libeigen3-dev" >&2
  exit 1
fi
EIGEN_DIR="${EIGEN_DIR:-/usr/include/eigen3}"
if [ ! -f "$EIGEN_DIR/Eigen/Dense" ]; then
  echo "cpp/build.sh: Eigen not found in $EIGEN_DIR (apt-get install -y libeigen3-dev, or set EIGEN_DIR)" >&2
  exit 1
fi
# Debian's emcc needs its node modules (acorn) for -O2/-O3 links.
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"

mkdir -p dist
exported="$(grep -v '^\s*$' exported.txt | sed "s/.*/'&'/" | paste -sd, -)"

emcc -std=c++17 -O3 -msimd128 -DNDEBUG -DEIGEN_DONT_PARALLELIZE \
  -isystem "$EIGEN_DIR" \
  src/*.cpp \
  -o dist/linalg.mjs \
  -sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createLinalgModule \
  -sENVIRONMENT=web,worker \
  -sFILESYSTEM=0 -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=2gb \
  -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0 \
  -sEXPORTED_FUNCTIONS="[$exported]" \
  -sEXPORTED_RUNTIME_METHODS="['HEAPF64']" \
  -sINCOMING_MODULE_JS_API="['wasmBinary','instantiateWasm','printErr','print']"

bash ./stamp.sh > dist/STAMP
echo "cpp/build.sh: wrote dist/linalg.mjs ($(wc -c < dist/linalg.mjs) B), dist/linalg.wasm ($(wc -c < dist/linalg.wasm) B), STAMP $(cat dist/STAMP)"
