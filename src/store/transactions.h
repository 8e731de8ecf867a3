// The glue every adapter shares between its sessions and the typed
// transactions of store.h: a snapshot session becomes a ReadTx, and a
// WriteWork becomes a job for the group-commit writer.
#pragma once

#include <functional>
#include <memory>

#include "store/group_writer.h"
#include "store/store.h"

namespace redress::store {

// Runs `fn` on `session` as a ReadTx (the caller has opened the snapshot).
inline Status run_read(SqlSession& session, std::move_only_function<Status(ReadTx&)>& fn) {
  Repositories repos(session);
  ReadTx tx(repos);
  return fn(tx);
}

// Wraps `work` for the GroupCommitWriter: its run sees a WriteTx over the
// writer's session, and its done learns whether the batch committed.
inline WriteJob to_write_job(WriteWork work) {
  auto shared = std::make_shared<WriteWork>(std::move(work));
  return WriteJob{[shared](SqlSession& session) {
                    Repositories repos(session);
                    WriteTx tx(repos);
                    return shared->run(tx);
                  },
                  [shared](bool committed) { shared->done(committed); }, shared->alone};
}

}  // namespace redress::store
