#!/usr/bin/env python3
"""NumPy (LAPACK) reference timings for bench/linalg.bench.js.

Usage: python3 bench/linalg_numpy.py --sizes 256,512 --repeats 5 [--threads 1] [--clock cpu|wall]
Prints one JSON object: {"numpy": ver, "blas": ..., "threads": ..., "results": [{"n", "eigvalsh", "eigh"}]}
with median seconds after one warm-up call per size. Matrices: A = XᵀX/m with X m×n standard
normal (m = n + 16, seed 0), the same family as the WASM suite (which builds its own; only timings
are compared, so bit-equality is not needed).
"""
import argparse
import json
import os
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="256,512,1024")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", type=int, default=0, help="0 = library default")
    ap.add_argument("--clock", choices=["cpu", "wall"], default="wall",
                    help="cpu: process CPU time (meaningful with --threads 1); wall: elapsed")
    args = ap.parse_args()
    if args.threads:
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.threads)
    import time

    import numpy as np

    blas = "unknown"
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {}).get("name", "unknown")
    except Exception:  # older numpy
        pass

    rng = np.random.default_rng(0)
    results = []
    for n in [int(s) for s in args.sizes.split(",")]:
        x = rng.standard_normal((n + 16, n))
        a = x.T @ x / (n + 16)
        row = {"n": n}
        for name, fn in (("eigvalsh", np.linalg.eigvalsh), ("eigh", np.linalg.eigh)):
            fn(a)  # warm-up
            clock = time.process_time if args.clock == "cpu" else time.perf_counter
            times = []
            for _ in range(args.repeats):
                t0 = clock()
                fn(a)
                times.append(clock() - t0)
            row[name] = float(np.median(times))
        results.append(row)
        print(f"numpy n={n}: {row}", file=sys.stderr)
    print(json.dumps({
        "numpy": np.__version__,
        "blas": blas,
        "threads": args.threads or "default",
        "clock": args.clock,
        "results": results,
    }))


if __name__ == "__main__":
    main()
