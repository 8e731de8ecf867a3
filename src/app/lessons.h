// The lessons-learned library (issue 5 item 8, seeds: the summary step of the
// procedure): lessons and improvement actions read across complaints, and
// the actions' owners, deadlines and status kept up to date after the
// complaint is closed, so one period's lessons feed the next.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/access.h"
#include "core/time.h"
#include "store/store.h"

namespace redress::app {

// A change to one improvement action; unset fields stay as they are.
struct ImprovementActionPatch {
  std::optional<std::string> title;
  std::optional<std::string> status;  // planned | in_progress | done
  std::optional<std::string> resources;
  std::optional<std::optional<UserId>> owner;    // set to nullopt: no owner
  std::optional<std::optional<Instant>> due_at;  // set to nullopt: no deadline
  bool empty() const { return !title && !status && !resources && !owner && !due_at; }
};

class Lessons {
 public:
  explicit Lessons(const Clock& clock) : clock_(clock) {}

  // One page of the library. Staff only; handlers and supervisors read their
  // department scope (supervisors with the unrouted complaints), as in the
  // complaint list. `filter.scope` is replaced by the caller's.
  Result<std::vector<store::LessonEntry>> library(const store::ReadTx& tx, const Actor& actor,
                                                  store::LessonFilter filter) const;
  // One page of improvement actions across complaints, by deadline; same
  // access as library().
  Result<std::vector<store::ActionEntry>> actions(const store::ReadTx& tx, const Actor& actor,
                                                  store::ActionFilter filter) const;
  // Changes one improvement action and records it in its complaint's
  // timeline (event improvement_action_updated, with before and after). The
  // action's owner may change it, and so may whoever may record the review
  // (agents, QA, directors, and the handling department's handlers and
  // supervisors). invalid_argument naming the field (status outside the
  // three, blank title, unknown owner, empty patch); not_found when there is
  // no such action; forbidden outside the caller's scope (as every write) and
  // for other callers.
  Result<store::ActionEntry> update_action(store::WriteTx& tx, const Actor& actor,
                                           std::int64_t action_id,
                                           const ImprovementActionPatch& patch) const;

 private:
  const Clock& clock_;
};

// Whether `status` is one an improvement action can have. Inline: the
// request readers (redress_http_parse, linked by fuzz/ without app) use it.
inline bool is_improvement_status(std::string_view status) {
  return status == "planned" || status == "in_progress" || status == "done";
}

}  // namespace redress::app
