#include "cli/export.h"

#include <filesystem>
#include <fstream>

#include "app/export.h"

namespace redress::cli {

Result<std::int64_t> run_export(store::Store& store, const Clock& clock,
                                const ExportOptions& options) {
  if (options.format != "csv" && options.format != "xlsx") {
    return fail(Error::invalid("--format", "must be csv or xlsx"));
  }
  store::ComplaintFilter filter;
  std::vector<FieldError> errors;
  if (!options.state.empty()) {
    filter.state = parse<State>(options.state);
    if (!filter.state) errors.push_back({"--state", "is not a state"});
  }
  if (!options.category.empty()) filter.category = options.category;
  for (auto [text, target, name] :
       {std::tuple{&options.received_from, &filter.received_from, "--received-from"},
        std::tuple{&options.received_to, &filter.received_to, "--received-to"}}) {
    if (text->empty()) continue;
    *target = parse_iso8601(*text);
    if (!*target) errors.push_back({name, "must be an ISO 8601 date or date-time"});
  }
  if (!options.department.empty()) {
    REDRESS_TRY(auto departments, store.read<std::vector<Department>>([](const store::ReadTx& tx) {
      return tx.directory().departments();
    }));
    for (const Department& d : departments) {
      if (d.code == options.department) filter.department = d.id;
    }
    if (!filter.department) errors.push_back({"--department", "is not a department code"});
  }
  if (!errors.empty()) return fail(Error::invalid(std::move(errors)));

  const app::Complaints complaints(clock);
  const Actor system{.kind = Actor::Kind::system, .wide_scope = true};
  app::ExportPager pager(complaints, system, filter);
  auto next_page = [&]() {
    return store.read<std::vector<app::ExportRow>>(
        [&](const store::ReadTx& tx) { return pager.next(tx); });
  };
  std::int64_t rows = 0;
  if (options.format == "csv") {
    std::ofstream out(options.output, std::ios::binary);
    if (!out) return fail(Error::invalid("-o", "cannot write " + options.output));
    out << app::CsvExportWriter::preamble();
    while (!pager.done()) {
      REDRESS_TRY(auto page, next_page());
      std::string text;
      for (const auto& row : page) app::CsvExportWriter::append(row, text);
      out << text;
      rows += static_cast<std::int64_t>(page.size());
    }
    out.close();
    if (!out) return fail(Error::internal("writing " + options.output + " failed"));
    return rows;
  }
  const std::filesystem::path path(options.output);
  const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  REDRESS_TRY(auto writer, app::XlsxExportWriter::open(path, dir));
  while (!pager.done()) {
    REDRESS_TRY(auto page, next_page());
    for (const auto& row : page) REDRESS_CHECK(writer->add(row));
    rows += static_cast<std::int64_t>(page.size());
  }
  REDRESS_CHECK(writer->close());
  return rows;
}

}  // namespace redress::cli
