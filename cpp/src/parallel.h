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
#include <emscripten/threading.h>

#include <cstdint>

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
 *
 * A task is OFFERED, not handed over: the second thread claims it (kOffered → kTaken) when it
 * gets to it, and the caller, once its own part is done, takes it back (kOffered → kIdle) if it is
 * still unclaimed and runs it itself. So a second thread that the OS does not schedule (the other
 * core busy with another process) never holds the caller up: the work is then done on one thread,
 * in the same order and with the same results. The caller waits for a claimed task by spinning
 * briefly, then sleeping on a futex, so that it leaves its core to the second thread.
 */
class SecondThread {
 public:
  static SecondThread& get() {
    static SecondThread instance;
    return instance;
  }

  template <class Task>
  void offer(Task& task) {
    run_ = [](void* t) { (*static_cast<Task*>(t))(); };
    task_ = &task;
    state_.store(kOffered, std::memory_order_release);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      submitted_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_one();
  }

  /** Whether the second thread found itself descheduled while it waited for work (and reset it). */
  bool contended() { return contended_.exchange(false, std::memory_order_relaxed); }

  /** Take the offered task back if the second thread has not claimed it; true if taken. */
  bool take_back() {
    uint32_t expected = kOffered;
    return state_.compare_exchange_strong(expected, kIdle, std::memory_order_acq_rel);
  }

  /**
   * Wait until the second thread has finished the task it claimed: spin for up to `spin_ms` (a
   * running second thread finishes its half about when the caller finishes its own), then sleep on
   * a futex, which leaves the core to the second thread if the OS had put both on one. Returns
   * whether it had to sleep (waking up can take a scheduler tick when the machine is busy).
   */
  bool wait(double spin_ms) {
    const double until = emscripten_get_now() + spin_ms;
    for (int i = 0;; ++i) {
      if (state_.load(std::memory_order_acquire) == kDone) {
        state_.store(kIdle, std::memory_order_relaxed);
        return false;
      }
      if ((i & 255) == 255 && emscripten_get_now() > until) break;
    }
    while (state_.load(std::memory_order_acquire) != kDone) {
      emscripten_futex_wait(futex(), kTaken, 10.0);  // returns at once unless the state is still kTaken
    }
    state_.store(kIdle, std::memory_order_relaxed);
    return true;
  }

 private:
  static constexpr uint32_t kIdle = 0, kOffered = 1, kTaken = 2, kDone = 3;
  static constexpr double kPreemptedMs = 0.2;

  SecondThread() : thread_([this] { loop(); }) { thread_.detach(); }

  volatile void* futex() { return reinterpret_cast<volatile void*>(&state_); }

  void loop() {
    unsigned seen = 0;
    for (;;) {
      double last = emscripten_get_now();
      const double spin_until = last + 1.0;  // ms
      unsigned now = submitted_.load(std::memory_order_acquire);
      for (int i = 0; now == seen; ++i) {
        if ((i & 255) == 255) {
          const double t = emscripten_get_now();
          // A gap between two looks at the clock means the OS took the core away while this thread
          // spun: another process wants it. Spinning then only slows the caller down; sleep, and
          // tell the caller (contended()).
          const bool preempted = t - last > kPreemptedMs;
          if (preempted) contended_.store(true, std::memory_order_relaxed);
          last = t;
          if (preempted || t > spin_until) {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [&] { return submitted_.load(std::memory_order_acquire) != seen; });
            last = emscripten_get_now();
          }
        }
        now = submitted_.load(std::memory_order_acquire);
      }
      seen = now;
      uint32_t expected = kOffered;
      if (state_.compare_exchange_strong(expected, kTaken, std::memory_order_acq_rel)) {
        run_(task_);
        state_.store(kDone, std::memory_order_release);
        emscripten_futex_wake(futex(), 1);
      }
    }
  }

  std::atomic<unsigned> submitted_{0};
  std::atomic<uint32_t> state_{kIdle};
  std::atomic<bool> contended_{false};
  void (*run_)(void*) = nullptr;
  void* task_ = nullptr;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread thread_;
};

/**
 * When the second thread does not get a core (another process keeps the other core busy), offering
 * it work only costs: the caller then runs the next regions on its own, 1, 2, 4, … up to 1024 of
 * them after consecutive misses, and offers again. A miss: the task was still unclaimed when the
 * caller finished its part, or the caller then had to sleep, or waited longer than half its own
 * part's time, or the second thread was descheduled while it spun waiting for work (it then sleeps
 * instead of spinning, which would take CPU time from the caller).
 */
struct Contention {
  int skip = 0;
  int backoff = 1;

  void miss() {
    skip = backoff;
    backoff = backoff < 1024 ? 2 * backoff : 1024;
  }
  void hit() { backoff = 1; }

  static Contention& get() {
    static Contention instance;
    return instance;
  }
};
#endif

/**
 * Run part(0) and part(1). In the threaded build part(1) is offered to the second thread when
 * `worth_a_thread` (handing a task over costs a few µs, so small regions stay on the calling
 * thread) and the second thread has been keeping up (Contention); otherwise, or if it has not
 * started part(1) by the time part(0) is done, the calling thread runs it. The parts must write
 * disjoint memory; each part computes the same thing whichever thread runs it.
 */
template <class Part>
void run_two(Part&& part, bool worth_a_thread) {
#ifdef __EMSCRIPTEN_PTHREADS__
  Contention& contention = Contention::get();
  if (worth_a_thread && contention.skip > 0) {
    --contention.skip;
  } else if (worth_a_thread && SecondThread::get().contended()) {
    contention.miss();
  } else if (worth_a_thread) {
    auto second = [&part] { part(1); };
    SecondThread& thread = SecondThread::get();
    const double t0 = emscripten_get_now();
    thread.offer(second);
    part(0);
    if (thread.take_back()) {
      part(1);
      contention.miss();
      return;
    }
    const double t1 = emscripten_get_now();
    const bool slept = thread.wait(t1 - t0);
    if (slept || emscripten_get_now() - t1 > 0.5 * (t1 - t0)) contention.miss();
    else contention.hit();
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
