#include "store/postgres/read_pool.h"

#include <algorithm>

namespace redress::store::postgres {

ReadPool::ReadPool(std::string url, ReadPoolOptions options)
    : url_(std::move(url)), options_(options) {}

Result<ReadPool::Lease> ReadPool::acquire() {
  const std::size_t bound = std::max<std::size_t>(1, options_.size);
  {
    MutexLock lock(mu_);
    while (idle_.empty() && open_ >= bound) lock.wait(returned_);
    if (!idle_.empty()) {
      std::unique_ptr<PgConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(connection));
    }
    ++open_;  // reserve the slot, then connect without holding the lock
  }
  auto opened = PgConnection::open(url_, options_.connection);
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

void ReadPool::release(std::unique_ptr<PgConnection> connection) {
  // A holder that returns mid-transaction would pin an old snapshot for the
  // next user; a broken connection is not worth keeping.
  if (connection->in_transaction() && !connection->exec_script("ROLLBACK")) connection.reset();
  if (connection != nullptr && !connection->connected()) connection.reset();
  {
    MutexLock lock(mu_);
    if (connection != nullptr) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
  }
  returned_.notify_one();
}

}  // namespace redress::store::postgres
