#include "store/sqlite/read_pool.h"

#include <algorithm>

namespace redress::store::sqlite {

ReadPool::Lease& ReadPool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    give_back();
    pool_ = std::exchange(other.pool_, nullptr);
    connection_ = std::move(other.connection_);
  }
  return *this;
}

void ReadPool::Lease::give_back() noexcept {
  if (pool_ != nullptr && connection_ != nullptr) pool_->release(std::move(connection_));
  pool_ = nullptr;
  connection_.reset();
}

ReadPool::ReadPool(std::string path, ReadPoolOptions options)
    : path_(std::move(path)), options_(options) {}

ReadPool::~ReadPool() = default;

Result<ReadPool::Lease> ReadPool::acquire() {
  const std::size_t bound = std::max<std::size_t>(1, options_.size);
  {
    MutexLock lock(mu_);
    while (idle_.empty() && open_ >= bound) lock.wait(returned_);
    if (!idle_.empty()) {
      std::unique_ptr<SqliteConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(connection));
    }
    ++open_;  // reserve the slot, then open without holding the lock
  }
  auto opened = SqliteConnection::open(path_, OpenMode::read_only, options_.connection);
  if (!opened) {
    {
      MutexLock lock(mu_);
      --open_;
    }
    returned_.notify_one();
    return fail(std::move(opened).error());
  }
  return Lease(this, std::move(*opened));
}

void ReadPool::release(std::unique_ptr<SqliteConnection> connection) {
  // A holder that returns mid-transaction would otherwise pin an old snapshot
  // (and keep the WAL from being checkpointed) for the next user.
  if (connection->in_transaction()) {
    if (!connection->exec_script("ROLLBACK")) connection.reset();
  }
  {
    MutexLock lock(mu_);
    if (connection != nullptr) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;  // dropped a connection that would not roll back; a new one may be opened
    }
  }
  returned_.notify_one();
}

}  // namespace redress::store::sqlite
