// Two-way work splitting for the second core.
//
// cpp/build.sh builds the sources twice: dist/linalg (single-threaded, for browsers and any host
// without SharedArrayBuffer) and dist/linalg-mt (-pthread, loaded by the Node entry point). Every
// parallel region is a FIXED split into part 0 and part 1, chosen from the problem size alone;
// the threaded build runs part 1 on a second thread, the single-threaded build runs part 1 after
// part 0. Each part does the same floating-point operations in the same order in both builds, so
// the two builds return bit-identical results (test/linalg-threads.test.ts, and the browser
// parity test, which compares Chromium's single-threaded module with Node's threaded one).
#pragma once

#include <Eigen/Core>
#include <cmath>

#ifdef __EMSCRIPTEN_PTHREADS__
#include <thread>
#endif

namespace gd {

/** Threads the build can use: 2 with -pthread, else 1. */
constexpr int kThreads =
#ifdef __EMSCRIPTEN_PTHREADS__
    2;
#else
    1;
#endif

/**
 * Run part(0) and part(1). In the threaded build part(1) runs on a new thread when `worth_a_thread`
 * (a thread start and join cost ≈ 35 µs in Node, so small regions stay on the calling thread).
 * The parts must write disjoint memory.
 */
template <class Part>
void run_two(Part&& part, bool worth_a_thread) {
#ifdef __EMSCRIPTEN_PTHREADS__
  if (worth_a_thread) {
    std::thread second([&part] { part(1); });
    part(0);
    second.join();
    return;
  }
#else
  (void)worth_a_thread;
#endif
  part(0);
  part(1);
}

/**
 * The column c splitting a lower triangle of order m into two parts of equal area: columns
 * [0, c) (a c×c triangle above an (m−c)×c rectangle) and the trailing (m−c)×(m−c) triangle.
 * (m − c)² = m²/2, so c = m (1 − 1/√2).
 */
inline Eigen::Index triangle_split(Eigen::Index m) { return static_cast<Eigen::Index>(std::floor(m * (1 - std::sqrt(0.5)))); }

}  // namespace gd
