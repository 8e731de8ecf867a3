#include "app/imports.h"

#include <set>
#include <string_view>
#include <utility>

#include "app/admin.h"
#include "app/audit.h"
#include "app/crypto.h"

namespace redress::app {

using Json = nlohmann::json;

namespace {
// The change-log row of a department or category an import created, by the
// importing actor, marked as made by an import.
Status log_created(store::WriteTx& tx, const Actor& actor, Instant now, std::string entity,
                   std::string key, std::string code, std::string name) {
  store::AdminChange change;
  change.at = now;
  if (actor.kind == Actor::Kind::user) change.actor = actor.user;
  change.entity = std::move(entity);
  change.key = std::move(key);
  change.action = "created";
  change.before = "{}";
  change.after =
      Json{{"code", std::move(code)}, {"name", std::move(name)}, {"via", "import"}}.dump();
  REDRESS_TRY(auto id, tx.directory().add_change(change));
  (void)id;
  return {};
}
}  // namespace

std::string slug(std::string_view text, std::size_t max) {
  std::string out;
  for (unsigned char ch : text) {
    if (out.size() >= max) break;
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
      out.push_back(static_cast<char>(ch));
    } else if (ch >= 'A' && ch <= 'Z') {
      out.push_back(static_cast<char>(ch - 'A' + 'a'));
    } else if (!out.empty() && out.back() != '_') {
      out.push_back('_');
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "unnamed" : out;
}

Result<std::string> Importer::category_for(store::WriteTx& tx, const Actor& actor, Instant now,
                                           const ImportRecord& r) {
  const std::string key = r.category_name + "\n" + r.subcategory_name;
  if (auto it = category_codes_.find(key); it != category_codes_.end()) return it->second;
  const std::string parent = r.source + "." + slug(r.category_name);
  REDRESS_TRY(auto existing, tx.directory().category(parent));
  if (!existing) {
    REDRESS_CHECK(tx.directory().add_category({parent, r.category_name, {}}));
    REDRESS_CHECK(log_created(tx, actor, now, "category", parent, parent, r.category_name));
  }
  std::string code = parent;
  if (!r.subcategory_name.empty()) {
    code = parent + "." + slug(r.subcategory_name);
    REDRESS_TRY(auto child, tx.directory().category(code));
    if (!child) {
      REDRESS_CHECK(tx.directory().add_category({code, r.subcategory_name, parent}));
      REDRESS_CHECK(log_created(tx, actor, now, "category", code, code, r.subcategory_name));
    }
  }
  category_codes_[key] = code;
  return code;
}

Result<DepartmentId> Importer::department_for(store::WriteTx& tx, const Actor& actor, Instant now,
                                              const ImportRecord& r) {
  if (auto it = department_ids_.find(r.organisation); it != department_ids_.end()) {
    return it->second;
  }
  REDRESS_TRY(auto id, department_by_code(tx, actor, now, "org." + slug(r.organisation, 56),
                                          r.organisation));
  return department_ids_[r.organisation] = id;
}

Result<DepartmentId> Importer::department_by_code(store::WriteTx& tx, const Actor& actor,
                                                  Instant now, const std::string& code,
                                                  const std::string& name) {
  if (!departments_loaded_) {
    // Once per importer, not once per new organisation: a CFPB file names
    // thousands of companies, and listing every department for each of them
    // made the import quadratic.
    REDRESS_TRY(auto all, tx.directory().departments());
    for (const Department& d : all) department_ids_by_code_[d.code] = d.id;
    departments_loaded_ = true;
  }
  if (auto it = department_ids_by_code_.find(code); it != department_ids_by_code_.end()) {
    return it->second;
  }
  REDRESS_TRY(auto id,
              tx.directory().add_department(Department{DepartmentId{}, code, name, {}, {}}));
  REDRESS_CHECK(log_created(tx, actor, now, "department", std::to_string(id.value), code, name));
  department_ids_by_code_[code] = id;
  return id;
}

Result<std::optional<ComplaintId>> Importer::write_native(store::WriteTx& tx, const Actor& actor,
                                                          const ImportRecord& r, Instant now) {
  if (!r.native) return fail(Error::internal("write_native without a native record"));
  Complaint c = *r.native;
  REDRESS_TRY(auto taken, tx.complaints().find_by_tracking_code(c.tracking_code));
  if (taken) return std::optional<ComplaintId>{};  // e.g. the export of this very installation
  Customer customer = r.native_customer.value_or(Customer{});
  REDRESS_TRY(customer.id, tx.customers().insert(customer));
  c.id = ComplaintId{};
  c.customer = customer.id;
  c.access_token_hash = sha256_hex(random_token(32));  // imported cases have no portal access
  c.version = 1;
  c.assignee.reset();
  c.follow_up_of.reset();
  c.due_at.reset();
  if (c.category && !category_codes_.contains("=" + *c.category)) {
    REDRESS_TRY(auto existing, tx.directory().category(*c.category));
    if (!existing) {
      REDRESS_CHECK(tx.directory().add_category({*c.category, *c.category, {}}));
      REDRESS_CHECK(log_created(tx, actor, now, "category", *c.category, *c.category, *c.category));
    }
    category_codes_["=" + *c.category] = *c.category;
  }
  c.department.reset();
  if (!r.department_code.empty()) {
    REDRESS_TRY(c.department,
                department_by_code(tx, actor, now, r.department_code, r.department_code));
  }
  REDRESS_TRY(c.id, tx.complaints().insert(c));
  Json data{{"source", r.source}, {"external_id", r.external_id}, {"fields", r.source_fields}};
  REDRESS_TRY(auto ev, append_event(tx, actor, now,
                                    {c.id, "imported", std::nullopt, c.state, std::move(data)}));
  (void)ev;
  return std::optional<ComplaintId>(c.id);
}

Result<ImportBatchResult> Importer::write_batch(store::WriteTx& tx, const Actor& actor,
                                                const std::vector<ImportRecord>& records,
                                                const std::function<bool()>& stopped) {
  auto written = write_rows(tx, actor, records, stopped);
  if (!written) forget_uncommitted();  // the caller's transaction rolls back
  return written;
}

void Importer::forget_uncommitted() {
  category_codes_.clear();
  department_ids_.clear();
  department_ids_by_code_.clear();
  departments_loaded_ = false;
}

Result<ImportBatchResult> Importer::write_rows(store::WriteTx& tx, const Actor& actor,
                                               const std::vector<ImportRecord>& records,
                                               const std::function<bool()>& stopped) {
  REDRESS_CHECK(Admin::require_admin(actor));
  const Instant now = clock_.now();
  ImportBatchResult result;
  // What was imported before is looked up for the whole batch at once, and the
  // batch's own links are written together at its end; `batch_refs` also
  // catches a record repeated within the batch.
  std::vector<store::ExternalRef> refs;
  refs.reserve(records.size());
  for (const ImportRecord& r : records) refs.push_back({r.source, r.external_id});
  REDRESS_TRY(const std::vector<bool> linked_before, tx.imports().linked(refs));
  std::set<std::pair<std::string_view, std::string_view>> batch_refs;
  std::vector<store::ExternalRef> new_refs;
  std::vector<ComplaintId> new_complaints;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const ImportRecord& r = records[i];
    if (stopped && stopped()) {
      return fail(Error::unavailable("the import was stopped; it resumes at the next start"));
    }
    if (linked_before[i] || !batch_refs.emplace(r.source, r.external_id).second) {
      ++result.skipped;
      continue;
    }
    if (r.native) {
      REDRESS_TRY(auto created, write_native(tx, actor, r, now));
      if (!created) {
        ++result.skipped;
        continue;
      }
      new_refs.push_back(refs[i]);
      new_complaints.push_back(*created);
      ++result.created;
      continue;
    }
    Customer customer;
    customer.name = r.customer_name;
    REDRESS_TRY(customer.id, tx.customers().insert(customer));

    Complaint c;
    c.tracking_code = r.source == "cfpb" ? "CFPB-" + r.external_id : "RD-" + random_code(8);
    c.access_token_hash = sha256_hex(random_token(32));  // imported cases have no portal access
    c.customer = customer.id;
    c.channel = r.channel;
    c.received_at = r.received_at;
    c.place = r.place;
    c.object_type = "product";
    c.object_ref = r.object_ref;
    c.subject = r.subject;
    c.description = r.description;
    c.tags = r.tags;
    c.kind = Kind::complaint;
    c.validity = Validity::founded;
    REDRESS_TRY(c.category, category_for(tx, actor, now, r));
    c.urgency = Urgency::general;
    c.difficulty = Difficulty::simple;
    if (!r.organisation.empty()) {
      REDRESS_TRY(c.department, department_for(tx, actor, now, r));
    }
    c.state = r.closed ? State::closed : State::assigned;
    c.reopen_count = r.disputed ? 1 : 0;
    if (r.closed) {
      c.resolved_at = r.sent_at.value_or(r.received_at);
      c.closed_at = c.resolved_at;
    }
    c.created_at = now;
    c.updated_at = now;
    REDRESS_TRY(c.id, tx.complaints().insert(c));
    new_refs.push_back(refs[i]);
    new_complaints.push_back(c.id);
    if (r.closed && !r.outcome.empty()) {
      Message m{0,
                c.id,
                Direction::outbound,
                Channel::api,
                "reply",
                "Outcome recorded at the source: " + r.outcome,
                std::nullopt,
                *c.resolved_at};
      REDRESS_TRY(m.id, tx.records().add_message(m));
    }
    Json data{{"source", r.source},
              {"external_id", r.external_id},
              {"outcome", r.outcome},
              {"timely", r.timely ? Json(*r.timely) : Json(nullptr)},
              {"disputed", r.disputed},
              {"sent_at", r.sent_at ? Json(format_iso8601(*r.sent_at)) : Json(nullptr)},
              {"fields", r.source_fields}};
    REDRESS_TRY(auto ev, append_event(tx, actor, now,
                                      {c.id, "imported", std::nullopt, c.state, std::move(data)}));
    (void)ev;
    ++result.created;
  }
  REDRESS_CHECK(tx.imports().link_all(new_refs, new_complaints));
  return result;
}

}  // namespace redress::app
