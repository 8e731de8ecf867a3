// Saved views (issue 4): a staff user keeps queue filters under a name and
// picks them again later. Each view belongs to one user: only its owner lists
// or deletes it, so another user's view id answers not_found, never forbidden.
#pragma once

#include "core/access.h"
#include "store/store.h"

namespace redress::app {

// A user keeps at most this many views: the list is a menu, not a store.
inline constexpr std::int64_t kMaxSavedViews = 50;
// The longest name accepted, in bytes of UTF-8.
inline constexpr std::size_t kMaxSavedViewName = 100;

struct SavedViewSaved {
  store::SavedView view;
  bool created = false;  // false: an existing view of that name got the new filter
};

class SavedViews {
 public:
  explicit SavedViews(const Clock& clock) : clock_(clock) {}

  // The caller's views, by name. Staff users only (forbidden otherwise).
  Result<std::vector<store::SavedView>> list(const store::ReadTx& tx, const Actor& actor) const;
  // Saves `filter_json` (a JSON object the caller has validated) under `name`
  // (trimmed; 1 to kMaxSavedViewName bytes). Saving under a name the caller
  // already uses replaces that view's filter. invalid_argument naming `name`
  // for a bad name or once the caller has kMaxSavedViews views.
  Result<SavedViewSaved> save(store::WriteTx& tx, const Actor& actor, const std::string& name,
                              const std::string& filter_json) const;
  // Deletes the caller's view `id`; not_found when the caller has no such view.
  Status remove(store::WriteTx& tx, const Actor& actor, std::int64_t id) const;

 private:
  const Clock& clock_;
};

}  // namespace redress::app
