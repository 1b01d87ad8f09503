#!/usr/bin/env bash
# Speed of `run --score-cov` against `spectrum --cov` on the same d × d data (issue 12 item 9,
# target ≤ 3×). Needs two covariance .npy files: bench/make-score-cov.py writes CIFAR-10's
# (Σ = Q diag(λ) Qᵀ from test/fixtures/data/cifar10.npy's eigenvalues, a seeded random rotation Q)
# and a model Σ̂ (the sample covariance of 20000 draws of N(0, Σ)), 3072 × 3072 each.
# Usage: bash bench/score-cov.sh DIR [REPEATS]   (DIR holds cov.npy and score.npy)
set -euo pipefail
dir="$1"; reps="${2:-2}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
g="$here/bin/gaussdiff.js"
t() { local s e; s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
for r in $(seq "$reps"); do
  a=$(t node "$g" spectrum --cov "$dir/cov.npy" --out "$dir/ev.npy")
  b=$(t node "$g" run --cov "$dir/cov.npy" --score-cov "$dir/score.npy" --sampler dpmpp_2m --steps 10 --format json)
  c=$(t node "$g" run --cov "$dir/cov.npy" --score-cov "$dir/score.npy" --sampler dpmpp_2m --steps 10 --start exact --format json)
  echo "repeat $r: spectrum --cov ${a} s; run --score-cov ${b} s (ratio $(echo "scale=2; $b / $a" | bc)); --start exact ${c} s (ratio $(echo "scale=2; $c / $a" | bc)); load $(cut -d' ' -f1-3 /proc/loadavg)"
done
