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
#include <emscripten.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
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

#ifdef __EMSCRIPTEN_PTHREADS__
/**
 * The second thread, started on first use and kept: starting a thread per product cost ≈ 0.1 ms
 * each (≈ 0.25 s of eigvalsh(3072)'s ~2000 products). Between tasks it spins for up to 1 ms, then
 * sleeps on a condition variable. One task at a time, submitted by one thread (the caller of the
 * exported functions); a task must not itself call run_two.
 */
class SecondThread {
 public:
  static SecondThread& get() {
    static SecondThread instance;
    return instance;
  }

  template <class Task>
  void start(Task& task) {
    run_ = [](void* t) { (*static_cast<Task*>(t))(); };
    task_ = &task;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      submitted_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_one();
  }

  /** Spin until the task given to start() has finished (the browser main thread may not block). */
  void wait() {
    const unsigned want = submitted_.load(std::memory_order_relaxed);
    while (finished_.load(std::memory_order_acquire) != want) {
    }
  }

 private:
  SecondThread() : thread_([this] { loop(); }) { thread_.detach(); }

  void loop() {
    unsigned seen = 0;
    for (;;) {
      const double spin_until = emscripten_get_now() + 1.0;  // ms
      unsigned now = submitted_.load(std::memory_order_acquire);
      for (int i = 0; now == seen; ++i) {
        if ((i & 1023) == 1023 && emscripten_get_now() > spin_until) {
          std::unique_lock<std::mutex> lock(mutex_);
          wake_.wait(lock, [&] { return submitted_.load(std::memory_order_acquire) != seen; });
        }
        now = submitted_.load(std::memory_order_acquire);
      }
      seen = now;
      run_(task_);
      finished_.store(seen, std::memory_order_release);
    }
  }

  std::atomic<unsigned> submitted_{0}, finished_{0};
  void (*run_)(void*) = nullptr;
  void* task_ = nullptr;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread thread_;
};
#endif

/**
 * Run part(0) and part(1). In the threaded build part(1) runs on the second thread when
 * `worth_a_thread` (handing a task over costs a few µs, so small regions stay on the calling
 * thread). The parts must write disjoint memory.
 */
template <class Part>
void run_two(Part&& part, bool worth_a_thread) {
#ifdef __EMSCRIPTEN_PTHREADS__
  if (worth_a_thread) {
    auto second = [&part] { part(1); };
    SecondThread& thread = SecondThread::get();
    thread.start(second);
    part(0);
    thread.wait();
    return;
  }
#else
  (void)worth_a_thread;
#endif
  part(0);
  part(1);
}

/** Columns [start, start + count). */
struct Span {
  Eigen::Index start, count;
};

/** Part 0 or 1 of `cols` columns split into two fixed halves. */
inline Span column_half(Eigen::Index cols, int part) {
  const Eigen::Index half = cols / 2;
  return part == 0 ? Span{0, half} : Span{half, cols - half};
}

/**
 * The column c splitting a lower triangle of order m into two parts of equal area: columns
 * [0, c) (a c×c triangle above an (m−c)×c rectangle) and the trailing (m−c)×(m−c) triangle.
 * (m − c)² = m²/2, so c = m (1 − 1/√2).
 */
inline Eigen::Index triangle_split(Eigen::Index m) { return static_cast<Eigen::Index>(std::floor(m * (1 - std::sqrt(0.5)))); }

}  // namespace gd
