#include "ingest/import_runner.h"

#include <cstdio>
#include <fstream>

#include "ingest/import_stream.h"

namespace redress::ingest {

ImportRunner::ImportRunner(store::Store& store, const Clock& clock, std::filesystem::path directory,
                           std::size_t batch_size)
    : store_(store), clock_(clock), directory_(std::move(directory)), batch_size_(batch_size) {}

ImportRunner::~ImportRunner() {
  stop();
}

Status ImportRunner::start(bool resume_unfinished) {
  std::error_code ec;
  std::filesystem::create_directories(directory_, ec);
  if (ec) {
    return fail(Error::internal("cannot create the import folder " + directory_.string() + ": " +
                                ec.message()));
  }
  if (resume_unfinished) {
    REDRESS_TRY(auto runs, store_.read<std::vector<store::ImportRun>>([](const store::ReadTx& tx) {
      return tx.imports().unfinished_runs();
    }));
    std::lock_guard lock(mutex_);
    for (const auto& run : runs) queue_.push_back(run.id);
  }
  thread_ = std::thread([this] { loop(); });
  return {};
}

void ImportRunner::enqueue(std::int64_t run_id) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(run_id);
  }
  wake_.notify_one();
}

void ImportRunner::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ImportRunner::loop() {
  for (;;) {
    std::int64_t id = 0;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      id = queue_.front();
      queue_.pop_front();
    }
    run_one(id);
  }
}

void ImportRunner::run_one(std::int64_t id) {
  auto loaded = store_.read<std::optional<store::ImportRun>>(
      [id](const store::ReadTx& tx) { return tx.imports().run(id); });
  if (!loaded || !*loaded) return;
  const store::ImportRun run = **loaded;
  if (run.state != "queued" && run.state != "running") return;
  auto finish = [&](const std::string& state, const std::string& error) {
    auto done = store_.write_sync<bool>([&](store::WriteTx& tx) -> Result<bool> {
      REDRESS_CHECK(tx.imports().finish_run(id, state, error, clock_.now()));
      return true;
    });
    if (!done) {
      std::fprintf(stderr, "redress: import %lld: cannot record its end: %s\n",
                   static_cast<long long>(id), done.error().message.c_str());
    }
    std::error_code ignored;
    std::filesystem::remove(run.file_path, ignored);  // the upload is not kept
  };
  auto started = store_.write_sync<bool>([&](store::WriteTx& tx) -> Result<bool> {
    REDRESS_CHECK(tx.imports().start_run(id, clock_.now()));
    return true;
  });
  if (!started) return;
  std::ifstream in(run.file_path, std::ios::binary);
  if (!in) {
    finish("failed", "the uploaded file is gone: " + run.file_path);
    return;
  }
  ImportStreamOptions options;
  options.format = run.format;
  options.batch_size = batch_size_;
  options.skip_rows = run.rows_read;
  options.in_batch = [id](store::WriteTx& tx, const ImportBatch& b) -> Status {
    for (const auto& r : b.rejects) REDRESS_CHECK(tx.imports().add_reject(id, r));
    return tx.imports().add_progress(id, b.total.rows, static_cast<std::int64_t>(b.bytes_read),
                                     b.batch.created, b.batch.skipped, b.batch.rejected);
  };
  options.cancelled = [this] {
    std::lock_guard lock(mutex_);
    return stopping_;
  };
  auto result = import_stream(store_, clock_, in, options);
  if (!result && result.error().code == ErrorCode::unavailable && options.cancelled()) {
    return;  // stopped: stays `running`, resumes at the next start
  }
  if (!result) {
    const Error& e = result.error();
    std::string why = e.message;
    for (const auto& f : e.fields) why += (why.empty() ? "" : "; ") + f.field + ": " + f.message;
    finish("failed", why);
    return;
  }
  finish("done", "");
}

}  // namespace redress::ingest
