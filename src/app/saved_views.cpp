#include "app/saved_views.h"

#include "app/admin.h"

namespace redress::app {

namespace {

// Staff users only: the system actor has no views of its own, customers no queue.
Status require_user(const Actor& actor) {
  REDRESS_CHECK(Admin::require_staff(actor));
  if (actor.kind != Actor::Kind::user) return fail(Error::forbidden("saved views belong to users"));
  return {};
}

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

Result<std::vector<store::SavedView>> SavedViews::list(const store::ReadTx& tx,
                                                       const Actor& actor) const {
  REDRESS_CHECK(require_user(actor));
  return tx.saved_views().of_user(actor.user);
}

Result<SavedViewSaved> SavedViews::save(store::WriteTx& tx, const Actor& actor,
                                        const std::string& raw_name,
                                        const std::string& filter_json) const {
  REDRESS_CHECK(require_user(actor));
  const std::string name = trimmed(raw_name);
  if (name.empty()) return fail(Error::invalid("name", "must not be empty"));
  if (name.size() > kMaxSavedViewName) {
    return fail(
        Error::invalid("name", "must be at most " + std::to_string(kMaxSavedViewName) + " bytes"));
  }
  const Instant now = clock_.now();
  REDRESS_TRY(auto existing, tx.saved_views().by_name(actor.user, name));
  if (existing) {
    REDRESS_CHECK(tx.saved_views().replace_filter(existing->id, filter_json, now));
    existing->filter = filter_json;
    existing->updated_at = now;
    return SavedViewSaved{.view = std::move(*existing), .created = false};
  }
  REDRESS_TRY(auto count, tx.saved_views().count_of(actor.user));
  if (count >= kMaxSavedViews) {
    return fail(Error::invalid("name", "you already have " + std::to_string(kMaxSavedViews) +
                                           " saved views; delete one first"));
  }
  store::SavedView v{.id = 0,
                     .user = actor.user,
                     .name = name,
                     .filter = filter_json,
                     .created_at = now,
                     .updated_at = now};
  REDRESS_TRY(v.id, tx.saved_views().add(v));
  return SavedViewSaved{.view = std::move(v), .created = true};
}

Status SavedViews::remove(store::WriteTx& tx, const Actor& actor, std::int64_t id) const {
  REDRESS_CHECK(require_user(actor));
  REDRESS_TRY(bool removed, tx.saved_views().remove(actor.user, id));
  if (!removed) return fail(Error::not_found("saved view " + std::to_string(id)));
  return {};
}

}  // namespace redress::app
