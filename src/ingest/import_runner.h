// Uploaded imports (POST /api/v1/imports) run here, in the background: one
// thread of its own, one import at a time, so the job runner's SLA and mail
// jobs never wait behind a long file (the store's writer interleaves the
// import's batches with every other write). Each batch commits with the run's
// progress and rejects (store::ImportRun), so a run interrupted by a restart
// resumes at its first unwritten row when the runner starts again.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include "core/result.h"
#include "store/store.h"

namespace redress::ingest {

class ImportRunner {
 public:
  // Borrows `store` and `clock` (they must outlive the runner). Uploads are
  // stored under `directory` (created when missing).
  ImportRunner(store::Store& store, const Clock& clock, std::filesystem::path directory,
               std::size_t batch_size = 2000);
  ~ImportRunner();
  ImportRunner(const ImportRunner&) = delete;
  ImportRunner& operator=(const ImportRunner&) = delete;

  // Starts the thread and queues the runs a previous process left unfinished.
  // With several instances on one database, start the runner in one of them
  // only (they would resume the same runs).
  Status start(bool resume_unfinished = true);
  // Queues a recorded run. Any thread.
  void enqueue(std::int64_t run_id);
  // Stops after the row being read; the current run stays `running` in the
  // store and resumes at the next start. Waits for the thread.
  void stop();
  // Where uploads are stored.
  const std::filesystem::path& directory() const { return directory_; }

 private:
  void loop();
  void run_one(std::int64_t id);

  store::Store& store_;
  const Clock& clock_;
  std::filesystem::path directory_;
  std::size_t batch_size_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::int64_t> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace redress::ingest
