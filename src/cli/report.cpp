#include "cli/report.h"

#include <fstream>
#include <iostream>

#include "app/insight.h"
#include "app/review.h"
#include "reports/board.h"
#include "reports/management_review.h"

namespace redress::cli {

namespace {

Status write_body(const std::string& body, const ReportOptions& options) {
  if (options.output.empty() || options.output == "-") {
    std::cout << body;
    return {};
  }
  std::ofstream out(options.output, std::ios::binary);
  if (!out) return fail(Error::invalid("-o", "cannot write " + options.output));
  out << body;
  if (!out.flush()) return fail(Error::invalid("-o", "cannot write " + options.output));
  return {};
}

// warnings, hotspots and board (app/insight.h).
Status run_insight(store::Store& store, const Clock& clock, const ReportOptions& options) {
  std::vector<FieldError> errors;
  std::optional<Instant> from, to;
  if (!options.from.empty() && !(from = parse_iso8601(options.from))) {
    errors.push_back({"--from", "must be an ISO 8601 date or date-time"});
  }
  if (!options.to.empty() && !(to = parse_iso8601(options.to))) {
    errors.push_back({"--to", "must be an ISO 8601 date or date-time"});
  }
  const bool board = options.kind == "board";
  const std::string format = options.format.empty() ? "json" : options.format;
  if (format != "json" && !(board && format == "pdf")) {
    errors.push_back({"--format", board ? "must be json or pdf" : "must be json"});
  }
  if (format == "pdf" && (options.output.empty() || options.output == "-")) {
    errors.push_back({"-o", "is required for pdf"});
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
  const Actor system{.kind = Actor::Kind::system};
  const app::Insight insight(clock, {});
  const auto [default_from, default_to] = app::ManagementReview::default_period(clock.now());
  REDRESS_TRY(
      auto doc, store.read<nlohmann::json>([&](const store::ReadTx& tx) -> Result<nlohmann::json> {
        if (board) return insight.board(tx, system, from, to, options.language);
        if (options.kind == "hotspots") return insight.hotspots(tx, system, from, to);
        const Instant f = from.value_or(default_from), t = to.value_or(default_to);
        if (options.department.empty()) return insight.warning_ranking(tx, system, f, t);
        REDRESS_TRY(auto departments, tx.directory().departments());
        for (const auto& d : departments) {
          if (d.code == options.department || std::to_string(d.id.value) == options.department) {
            return insight.warning_record(tx, system, d.id, f, t);
          }
        }
        return fail(Error::invalid("--department", "no department " + options.department));
      }));
  return write_body(format == "pdf" ? reports::board_pdf(doc) : doc.dump(2) + "\n", options);
}

}  // namespace

Status run_report(store::Store& store, const Clock& clock, const ReportOptions& options) {
  if (options.kind == "warnings" || options.kind == "hotspots" || options.kind == "board") {
    return run_insight(store, clock, options);
  }
  const bool review = options.kind == "management-review";
  const std::string format = options.format.empty() ? (review ? "json" : "csv") : options.format;
  std::vector<FieldError> errors;
  app::ManagementReviewRequest request;
  auto [default_from, default_to] = app::ManagementReview::default_period(clock.now());
  request.from = default_from;
  request.to = default_to;
  if (!options.from.empty()) {
    if (auto t = parse_iso8601(options.from)) {
      request.from = *t;
    } else {
      errors.push_back({"--from", "must be an ISO 8601 date or date-time"});
    }
  }
  if (!options.to.empty()) {
    if (auto t = parse_iso8601(options.to)) {
      request.to = *t;
    } else {
      errors.push_back({"--to", "must be an ISO 8601 date or date-time"});
    }
  }
  request.language = options.language;
  const bool binary = format == "pdf" || format == "xlsx";
  if (review ? (format != "json" && !binary) : (format != "csv" && format != "json")) {
    errors.push_back({"--format", review ? "must be json, pdf or xlsx" : "must be csv or json"});
  }
  const bool to_stdout = options.output.empty() || options.output == "-";
  if (binary && to_stdout) errors.push_back({"-o", "is required for pdf and xlsx"});
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));

  const Actor system{.kind = Actor::Kind::system};
  app::ManagementReview builder(clock);
  REDRESS_TRY(auto doc, store.read<nlohmann::json>([&](const store::ReadTx& tx) {
    return builder.build(tx, system, request);
  }));
  if (format == "xlsx") return reports::management_review_xlsx(doc, options.output);
  std::string body;
  if (format == "pdf") {
    body = reports::management_review_pdf(doc);
  } else if (format == "csv") {
    body = app::training_needs_csv(doc);
  } else if (review) {
    body = doc.dump(2) + "\n";
  } else {
    body =
        nlohmann::json{{"period", doc["period"]}, {"training_needs", doc["training_needs"]}}.dump(
            2) +
        "\n";
  }
  return write_body(body, options);
}

}  // namespace redress::cli
