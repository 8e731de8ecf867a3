#include "ingest/redress_csv.h"

#include <charconv>
#include <cmath>

#include "app/export.h"

namespace redress::ingest {

namespace {

// The fields a row is read from: by column name, empty when the file has no such column.
class Fields {
 public:
  Fields(const std::map<std::string, std::size_t>& columns, const std::vector<std::string>& row)
      : columns_(columns), row_(row) {}

  std::string text(const std::string& name) const {
    auto it = columns_.find(name);
    return it == columns_.end() ? std::string() : app::unguard_cell(row_[it->second]);
  }

  template <class E>
  Result<std::optional<E>> name(const std::string& column) const {
    const std::string v = text(column);
    if (v.empty()) return std::optional<E>();
    auto parsed = parse<E>(v);
    if (!parsed) return fail(Error::invalid(column, "'" + v + "' is not a known value"));
    return parsed;
  }

  Result<std::optional<Instant>> time(const std::string& column) const {
    const std::string v = text(column);
    if (v.empty()) return std::optional<Instant>();
    auto t = parse_iso8601(v);
    if (!t) return fail(Error::invalid(column, "must be an ISO 8601 date or date-time"));
    return t;
  }

  Result<std::optional<double>> number(const std::string& column) const {
    const std::string v = text(column);
    if (v.empty()) return std::optional<double>();
    double d = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
    if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(d)) {
      return fail(Error::invalid(column, "must be a number"));
    }
    return std::optional<double>(d);
  }

  Result<int> count(const std::string& column) const {
    REDRESS_TRY(auto d, number(column));
    if (!d) return 0;
    if (*d < 0 || *d != std::floor(*d) || *d > 1e6) {
      return fail(Error::invalid(column, "must be a whole number of at least 0"));
    }
    return static_cast<int>(*d);
  }

 private:
  const std::map<std::string, std::size_t>& columns_;
  const std::vector<std::string>& row_;
};

}  // namespace

Result<RedressMapper> RedressMapper::from_header(const std::vector<std::string>& header) {
  RedressMapper m;
  for (std::size_t i = 0; i < header.size(); ++i) m.columns_.emplace(header[i], i);
  m.width_ = header.size();
  for (const char* required : {"tracking_code", "received_at"}) {
    if (!m.columns_.contains(required)) {
      return fail(Error::invalid(
          "header", std::string("is not a Redress export: no column '") + required + "'"));
    }
  }
  return m;
}

Result<app::ImportRecord> RedressMapper::map(const std::vector<std::string>& row) const {
  if (row.size() != width_) {
    return fail(Error::invalid("row", "has " + std::to_string(row.size()) +
                                          " fields; the header has " + std::to_string(width_)));
  }
  const Fields f(columns_, row);
  app::ImportRecord r;
  r.source = "redress";
  r.external_id = f.text("tracking_code");
  if (r.external_id.empty() || r.external_id.size() > 64) {
    return fail(Error::invalid("tracking_code", "is required (at most 64 characters)"));
  }
  REDRESS_TRY(auto received, f.time("received_at"));
  if (!received) return fail(Error::invalid(required_field("received_at")));
  r.received_at = *received;

  Complaint c;
  c.tracking_code = r.external_id;
  c.received_at = *received;
  REDRESS_TRY(auto state, f.name<State>("state"));
  c.state = state.value_or(State::new_);
  REDRESS_TRY(auto kind, f.name<Kind>("kind"));
  c.kind = kind.value_or(Kind::complaint);
  REDRESS_TRY(auto validity, f.name<Validity>("validity"));
  c.validity = validity.value_or(Validity::pending);
  c.validity_reason = f.text("validity_reason");
  if (auto category = f.text("category"); !category.empty()) c.category = category;
  REDRESS_TRY(c.urgency, f.name<Urgency>("urgency"));
  REDRESS_TRY(c.difficulty, f.name<Difficulty>("difficulty"));
  REDRESS_TRY(auto channel, f.name<Channel>("channel"));
  c.channel = channel.value_or(Channel::api);
  REDRESS_TRY(c.escalation_level, f.count("escalation_level"));
  REDRESS_TRY(c.occurred_at, f.time("occurred_at"));
  c.place = f.text("place");
  c.object_type = f.text("object_type");
  c.object_ref = f.text("object_ref");
  c.subject = f.text("subject");
  c.description = f.text("description");
  if (c.subject.empty() && c.description.empty()) {
    return fail(Error::invalid("description", "a subject or a description is required"));
  }
  c.demands = f.text("demands");
  c.people_involved = f.text("people_involved");
  if (auto language = f.text("language"); !language.empty()) c.language = language;
  for (std::string tags = f.text("tags"); !tags.empty();) {
    const std::size_t sep = tags.find("; ");
    c.tags.push_back(tags.substr(0, sep));
    tags = sep == std::string::npos ? std::string() : tags.substr(sep + 2);
  }
  c.impact_customer = f.text("impact_customer");
  c.impact_reputation = f.text("impact_reputation");
  REDRESS_TRY(c.estimated_loss, f.number("estimated_loss"));
  REDRESS_TRY(auto score, f.number("satisfaction_score"));
  if (score) {
    if (*score < 1 || *score > 5 || *score != std::floor(*score)) {
      return fail(Error::invalid("satisfaction_score", "must be a whole number from 1 to 5"));
    }
    c.satisfaction_score = static_cast<int>(*score);
  }
  c.satisfaction_comment = f.text("satisfaction_comment");
  REDRESS_TRY(c.reopen_count, f.count("reopen_count"));
  REDRESS_TRY(c.appeal_count, f.count("appeal_count"));
  REDRESS_TRY(c.resolved_at, f.time("resolved_at"));
  REDRESS_TRY(c.closed_at, f.time("closed_at"));
  REDRESS_TRY(auto created, f.time("created_at"));
  c.created_at = created.value_or(*received);
  REDRESS_TRY(auto updated, f.time("updated_at"));
  c.updated_at = updated.value_or(c.created_at);

  Customer customer;
  customer.name = f.text("customer_name");
  customer.email = f.text("customer_email");
  customer.phone = f.text("customer_phone");
  if (auto language = f.text("customer_language"); !language.empty()) customer.language = language;

  r.department_code = f.text("department_code");
  r.subject = c.subject;
  r.description = c.description;
  r.customer_name = customer.name;
  r.native = std::move(c);
  r.native_customer = std::move(customer);
  return r;
}

}  // namespace redress::ingest
