#include "ingest/cfpb.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>

namespace redress::ingest {

namespace {

constexpr std::array<const char*, 9> kRequired{
    "Complaint ID", "Product",       "Sub-product",   "Issue",           "Sub-issue",
    "Company",      "Submitted via", "Date received", "Timely response?"};

Channel channel_for(std::string_view via) {
  if (via == "Web") return Channel::portal;
  if (via == "Phone") return Channel::phone;
  if (via == "Postal mail" || via == "Fax") return Channel::letter;
  if (via == "Email") return Channel::email;
  return Channel::api;  // Referral and anything newer
}

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

bool is_missing(const std::string& s) {
  return s.empty() || s == "N/A";
}

}  // namespace

std::optional<Instant> parse_cfpb_date(std::string_view text) {
  if (text.size() == 10 && text[4] == '-') return parse_iso8601(text);
  // M/D/YYYY
  int parts[3] = {0, 0, 0};
  std::size_t pos = 0;
  for (int i = 0; i < 3; ++i) {
    const std::size_t end = i < 2 ? text.find('/', pos) : text.size();
    if (end == std::string_view::npos || end == pos) return std::nullopt;
    auto [p, ec] = std::from_chars(text.data() + pos, text.data() + end, parts[i]);
    if (ec != std::errc{} || p != text.data() + end) return std::nullopt;
    pos = end + 1;
  }
  char iso[16];
  if (parts[2] < 1000 || parts[2] > 9999 || parts[0] < 1 || parts[0] > 12 || parts[1] < 1 ||
      parts[1] > 31) {
    return std::nullopt;
  }
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", parts[2], parts[0], parts[1]);
  return parse_iso8601(iso);
}

int CfpbMapper::col(const char* name) const {
  auto it = std::find(header_.begin(), header_.end(), name);
  return it == header_.end() ? -1 : static_cast<int>(it - header_.begin());
}

Result<CfpbMapper> CfpbMapper::from_header(const std::vector<std::string>& header) {
  CfpbMapper m;
  m.header_ = header;
  for (const char* name : kRequired) {
    if (m.col(name) < 0) {
      return fail(
          Error::invalid("header", std::string("is not a CFPB export: no column '") + name + "'"));
    }
  }
  m.legacy_ = m.col("Consumer complaint narrative") < 0;
  return m;
}

Result<app::ImportRecord> CfpbMapper::map(const std::vector<std::string>& row) const {
  if (row.size() != header_.size()) {
    return fail(Error::invalid("row", "has " + std::to_string(row.size()) +
                                          " columns, the header " +
                                          std::to_string(header_.size())));
  }
  auto get = [&](const char* name) -> std::string {
    const int i = col(name);
    return i < 0 ? std::string() : trim(row[static_cast<std::size_t>(i)]);
  };
  app::ImportRecord r;
  r.source = "cfpb";
  r.external_id = get("Complaint ID");
  if (r.external_id.empty() || r.external_id.find_first_not_of("0123456789") != std::string::npos) {
    return fail(Error::invalid("Complaint ID", "is missing or not a number"));
  }
  auto received = parse_cfpb_date(get("Date received"));
  if (!received) return fail(Error::invalid("Date received", "is not a date"));
  r.received_at = *received;
  if (auto sent = get("Date sent to company"); !sent.empty()) {
    r.sent_at = parse_cfpb_date(sent);
    if (!r.sent_at) return fail(Error::invalid("Date sent to company", "is not a date"));
  }
  r.channel = channel_for(get("Submitted via"));
  r.category_name = get("Product");
  if (r.category_name.empty()) return fail(Error::invalid("Product", "is missing"));
  r.subcategory_name = get("Sub-product");
  r.organisation = get("Company");
  const std::string issue = get("Issue");
  const std::string sub_issue = get("Sub-issue");
  r.subject = sub_issue.empty() ? issue : issue + " — " + sub_issue;
  r.description = get("Consumer complaint narrative");
  if (r.description.empty()) r.description = r.subject.empty() ? r.category_name : r.subject;
  r.object_ref = r.subcategory_name.empty() ? r.category_name : r.subcategory_name;
  const std::string state = get("State");
  const std::string zip = get("ZIP code");
  r.place = state.empty() ? zip : (zip.empty() ? state : state + " " + zip);
  r.customer_name = "CFPB consumer " + r.external_id;
  if (const std::string tags = get("Tags"); !tags.empty()) {
    std::size_t start = 0;
    while (start <= tags.size()) {
      std::size_t end = tags.find(',', start);
      if (end == std::string::npos) end = tags.size();
      if (auto t = trim(tags.substr(start, end - start)); !t.empty()) r.tags.push_back(t);
      start = end + 1;
    }
  }
  r.outcome = col("Company response to consumer") >= 0 ? get("Company response to consumer")
                                                       : get("Company response");
  r.closed = r.outcome.starts_with("Closed");
  if (const std::string timely = get("Timely response?"); !is_missing(timely)) {
    r.timely = timely == "Yes";
  }
  r.disputed = get("Consumer disputed?") == "Yes";
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == "Consumer complaint narrative") continue;  // already the description
    if (!is_missing(row[i])) r.source_fields[header_[i]] = row[i];
  }
  return r;
}

}  // namespace redress::ingest
