// Clang thread-safety annotations (-Wthread-safety) and a mutex that carries
// them. Under g++ the macros expand to nothing; the annotations still document
// which lock guards what. Modelled on leveldb's port/thread_annotations.h.
#pragma once

#include <condition_variable>
#include <mutex>

#if defined(__clang__)
#define REDRESS_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define REDRESS_THREAD_ANNOTATION(x)
#endif

// Each is defined only if absent, so a second annotation header cannot clash.
#ifndef CAPABILITY
#define CAPABILITY(x) REDRESS_THREAD_ANNOTATION(capability(x))
#endif
#ifndef SCOPED_CAPABILITY
#define SCOPED_CAPABILITY REDRESS_THREAD_ANNOTATION(scoped_lockable)
#endif
#ifndef GUARDED_BY
#define GUARDED_BY(x) REDRESS_THREAD_ANNOTATION(guarded_by(x))
#endif
#ifndef PT_GUARDED_BY
#define PT_GUARDED_BY(x) REDRESS_THREAD_ANNOTATION(pt_guarded_by(x))
#endif
#ifndef REQUIRES
#define REQUIRES(...) REDRESS_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#endif
#ifndef EXCLUDES
#define EXCLUDES(...) REDRESS_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#endif
#ifndef ACQUIRE
#define ACQUIRE(...) REDRESS_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#endif
#ifndef RELEASE
#define RELEASE(...) REDRESS_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#endif

namespace redress::store {

// A std::mutex that clang's analysis understands (libstdc++'s is unannotated).
class CAPABILITY("mutex") Mutex {
 public:
  void lock() ACQUIRE() { mu_.lock(); }
  void unlock() RELEASE() { mu_.unlock(); }

 private:
  friend class MutexLock;
  std::mutex mu_;
};

// Holds a Mutex for its scope. wait() releases it while blocked, like
// std::condition_variable::wait; callers loop on their condition themselves,
// so the analysis sees the guarded reads happen under the lock.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : lock_(mu.mu_) {}
  ~MutexLock() RELEASE() = default;
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

  void wait(std::condition_variable& cv) { cv.wait(lock_); }

 private:
  std::unique_lock<std::mutex> lock_;
};

}  // namespace redress::store
