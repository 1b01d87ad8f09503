#!/usr/bin/env bash
# Build the Eigen linear-algebra core to WebAssembly: cpp/dist/linalg.mjs (ES-module glue) and
# cpp/dist/linalg.wasm, their threaded twins linalg-mt.mjs/.wasm/.worker.js, plus cpp/dist/STAMP (sha256 of the inputs, checked by cpp/check-stamp.sh).
# Pinned toolchain: Debian emscripten 3.1.6 + Eigen 3.4.0 (see docs/TOOLCHAIN.md).
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
# `npm run` puts node_modules/.bin first on PATH, and the npm package binaryen (a dependency of
# assemblyscript) installs its own wasm-opt/wasm-metadce there: emcc would then minify the .wasm's
# import names with a binaryen its JS glue does not match (LinkError at instantiation). Use
# Debian's binaryen, the one this emscripten is pinned to.
PATH="$(printf '%s' "$PATH" | tr ':' '\n' | grep -v 'node_modules/\.bin' | paste -sd: -)"
export PATH

OUT_DIR="${OUT_DIR:-dist}"   # experiments may build elsewhere; the committed artifact is dist/
mkdir -p "$OUT_DIR"

# Eigen 3.4 has no WASM SIMD path. With -msse2, emscripten's SSE-on-WASM-SIMD headers let Eigen use
# its SSE packet kernels (GEMM, GEMV, reductions) instead of scalar code. Two things in the stock
# headers stop that build, so a patched copy is made in a temporary directory:
#  - Eigen includes <mmintrin.h> (MMX), which emscripten lacks: an empty stand-in is provided;
#  - SSE/PacketMath.h uses x86 inline asm (pmin/pmax) when the compiler reports GCC < 6.3, which
#    clang does: that guard is turned off (the intrinsic branch is the one modern GCC uses).
# EIGEN_SIMD=off builds the scalar (auto-vectorised -msimd128 only) variant for comparison.
#
# In both variants one more change is made to the copy: Eigen's tridiagonal QR step is kept out of
# line (EIGEN_DONT_INLINE). Inlined, it runs inside the single long call of
# computeFromTridiagonal_impl, and WebAssembly has no on-stack replacement: on a fresh module that
# call would run in V8's baseline tier (Liftoff) from start to end (≈ 0.1 s more in the first
# eigvalsh(2048)). Out of line, the step is tiered up to TurboFan after its first calls. The
# arithmetic is unchanged (results are bit-identical).
EIGEN_SIMD="${EIGEN_SIMD:-sse}"
simd_flags=(-msimd128)
patched="$(mktemp -d)"
trap 'rm -rf "$patched"' EXIT
mkdir -p "$patched/compat" "$patched/eigen"
cp -r "$EIGEN_DIR/Eigen" "$patched/eigen/"
saes="$patched/eigen/Eigen/src/Eigenvalues/SelfAdjointEigenSolver.h"
sed -i 's|^static void tridiagonal_qr_step(|EIGEN_DONT_INLINE static void tridiagonal_qr_step( /* gaussdiff: out of line */|' "$saes"
if [ "$(grep -c 'gaussdiff: out of line' "$saes")" != 2 ]; then
  echo "cpp/build.sh: unexpected Eigen SelfAdjointEigenSolver.h (the tridiagonal_qr_step patch did not apply twice)" >&2
  exit 1
fi
include_flags=(-isystem "$patched/eigen")
if [ "$EIGEN_SIMD" = sse ]; then
  echo '/* gaussdiff: empty stand-in, WASM has no MMX */' > "$patched/compat/mmintrin.h"
  pm="$patched/eigen/Eigen/src/Core/arch/SSE/PacketMath.h"
  sed -i 's|#if EIGEN_COMP_GNUC && EIGEN_COMP_GNUC < 63|#if 0 /* gaussdiff: no x86 inline asm in WASM */|' "$pm"
  if [ "$(grep -c 'gaussdiff: no x86 inline asm' "$pm")" != 4 ]; then
    echo "cpp/build.sh: unexpected Eigen SSE/PacketMath.h (the inline-asm guard patch did not apply 4 times); use EIGEN_SIMD=off" >&2
    exit 1
  fi
  simd_flags=(-msimd128 -msse2)
  include_flags=(-isystem "$patched/compat" -isystem "$patched/eigen")
fi

exported="$(grep -v '^\s*$' exported.txt | sed "s/.*/'&'/" | paste -sd, -)"

# Two builds of the same sources (cpp/src/parallel.h): linalg (single-threaded: browsers, any host
# without SharedArrayBuffer) and linalg-mt (-pthread, one extra thread; loaded by the Node entry
# point). Both return bit-identical results.
# EXTRA_CFLAGS: for experiments only (e.g. -DGD_PROFILE); the committed artifact is built without.
build() {
  local name="$1" env="$2"
  shift 2
  # shellcheck disable=SC2086
  emcc -std=c++17 -O3 "${simd_flags[@]}" -DNDEBUG -DEIGEN_DONT_PARALLELIZE ${EXTRA_CFLAGS:-} "$@" \
    "${include_flags[@]}" \
    src/*.cpp \
    -o "$OUT_DIR/$name.mjs" \
    -sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createLinalgModule \
    -sENVIRONMENT="$env" \
    -sFILESYSTEM=0 -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=2gb \
    -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0 \
    -sEXPORTED_FUNCTIONS="[$exported]" \
    -sEXPORTED_RUNTIME_METHODS="['HEAPF64']" \
    -sINCOMING_MODULE_JS_API="['wasmBinary','instantiateWasm','printErr','print','wasmMemory','buffer','wasmModule','ENVIRONMENT_IS_PTHREAD']"
}
build linalg web,worker
# The threaded build runs its second thread in a worker (worker_threads in Node). Emscripten 3.1.6's
# Node code path uses `require` and `__dirname`, which an ES module lacks: a two-line prelude
# defines them from process.getBuiltinModule (Node ≥ 20.16) and import.meta.url. Its worker script
# is CommonJS, hence dist/package.json {"type": "commonjs"} (linalg*.mjs stay ES modules).
# -Wno-pthreads-mem-growth: the JS side re-reads the heap view after every call (bindings/linalg/linalg.ts).
build linalg-mt web,worker,node -pthread -sPTHREAD_POOL_SIZE=1 -Wno-pthreads-mem-growth
# The same Node path also sets the global Worker (worker_threads.Worker) for its thread pool; so as
# not to leave a browser-like global behind in the user's process, the glue keeps it to itself.
mt="$OUT_DIR/linalg-mt.mjs"
sets="$(grep -o 'global\.Worker=nodeWorkerThreads\.Worker' "$mt" | wc -l)"
news="$(grep -o 'new Worker(' "$mt" | wc -l)"
if [ "$sets" != 1 ] || [ "$news" != 2 ]; then
  echo "cpp/build.sh: unexpected pthread glue ($sets global Worker assignments, $news 'new Worker(' sites; expected 1 and 2)" >&2
  exit 1
fi
sed -i 's/global\.Worker=nodeWorkerThreads\.Worker/Module["gdNodeWorker"]=nodeWorkerThreads.Worker/; s/new Worker(/new (Module["gdNodeWorker"]||Worker)(/g' "$mt"
# Its worker script sets `location` on the worker's global for the Node path; in Deno (whose
# node:worker_threads workers are web workers) that global's `location` is a read-only getter and the
# assignment throws ("Cannot set property location of #<DedicatedWorkerGlobalScope>"): set it only
# where there is none (Node), leave Deno's own.
wk="$OUT_DIR/linalg-mt.worker.js"
locs="$(grep -o 'Module:Module,location:{href:__filename},' "$wk" | wc -l)"
if [ "$locs" != 1 ]; then
  echo "cpp/build.sh: unexpected pthread worker glue ($locs 'location:{href:__filename}' in Object.assign; expected 1)" >&2
  exit 1
fi
sed -i 's/Object\.assign(global,{self:global,require:require,Module:Module,location:{href:__filename},/if(!global.location)global.location={href:__filename};Object.assign(global,{self:global,require:require,Module:Module,/' "$wk"
prelude='const require = typeof process == "object" && process.getBuiltinModule ? (m) => process.getBuiltinModule(m) : undefined; const __dirname = require ? require("path").dirname(require("url").fileURLToPath(import.meta.url)) : ""; /* gaussdiff: cpp/build.sh */'
{ printf '%s\n' "$prelude"; cat "$OUT_DIR/linalg-mt.mjs"; } > "$OUT_DIR/linalg-mt.mjs.tmp"
mv "$OUT_DIR/linalg-mt.mjs.tmp" "$OUT_DIR/linalg-mt.mjs"
printf '{"type": "commonjs"}\n' > "$OUT_DIR/package.json"

bash ./stamp.sh > "$OUT_DIR/STAMP"
echo "cpp/build.sh: wrote $OUT_DIR/linalg{,-mt}.mjs, .wasm ($(wc -c < "$OUT_DIR/linalg.wasm") B, $(wc -c < "$OUT_DIR/linalg-mt.wasm") B), linalg-mt.worker.js; EIGEN_SIMD=$EIGEN_SIMD; STAMP $(cat "$OUT_DIR/STAMP")"
