// Uploaded imports: POST /api/v1/imports stores the file and queues it on the
// ImportRunner (its own background thread); GET /api/v1/imports/{id} shows the
// run's progress and GET /api/v1/imports/{id}/rejects the rows it refused.
// Administrators only, as `redress import` is an operator's command.
#include <charconv>
#include <fstream>
#include <sstream>

#include "app/admin.h"
#include "app/crypto.h"
#include "http/api.h"
#include "http/api_helpers.h"
#include "http/multipart.h"
#include "http/problem.h"
#include "ingest/csv_reader.h"
#include "ingest/import_runner.h"
#include "ingest/import_stream.h"

namespace redress::http {

namespace {

Json import_run_json(const store::ImportRun& run, Instant now) {
  // Rate over the time the run has been going (or went); time left from the
  // share of the file's rows still to read, estimated from the bytes.
  double seconds = 0;
  if (run.started_at) {
    const Instant end = run.finished_at.value_or(now);
    seconds = static_cast<double>(to_epoch_ms(end) - to_epoch_ms(*run.started_at)) / 1000.0;
  }
  const double rate = seconds > 0 ? static_cast<double>(run.rows_read) / seconds : 0;
  double progress = run.state == "done" ? 1.0 : 0.0;
  if (run.state != "done" && run.bytes_total > 0) {
    progress =
        std::min(1.0, static_cast<double>(run.bytes_read) / static_cast<double>(run.bytes_total));
  }
  Json seconds_left = nullptr;
  if (run.state == "running" && progress > 0 && seconds > 0) {
    seconds_left = seconds / progress - seconds;
  }
  auto iso = [](const std::optional<Instant>& t) { return t ? Json(format_iso8601(*t)) : Json(); };
  return Json{{"id", run.id},
              {"format", run.format},
              {"filename", run.filename},
              {"bytes", run.bytes_total},
              {"state", run.state},
              {"rows_read", run.rows_read},
              {"imported", run.imported},
              {"skipped", run.skipped},
              {"rejected", run.rejected},
              {"bytes_read", run.bytes_read},
              {"progress", progress},
              {"rows_per_second", rate},
              {"seconds_left", seconds_left},
              {"error", run.error},
              {"created_at", format_iso8601(run.created_at)},
              {"started_at", iso(run.started_at)},
              {"finished_at", iso(run.finished_at)}};
}

}  // namespace

void Api::register_imports(Router& router) {
  add(
      router, "POST", "/api/v1/imports", "imports",
      "Upload a file to import in the background (administrators): the raw CSV as the body "
      "(Content-Type text/csv) or multipart/form-data with the part 'file'; ?format=cfpb "
      "(default). 202 with the run; rows already imported are skipped, so uploading the same "
      "file again creates nothing.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        if (auto admin = app::Admin::require_admin(who->actor); !admin) {
          co_return problem(admin.error());
        }
        if (!options_.imports) {
          co_return problem(Error::unavailable("this server does not run uploaded imports"));
        }
        const std::string format(r.query_param("format").value_or("cfpb"));
        std::string filename(r.query_param("filename").value_or("upload.csv"));
        std::string_view data = r.body;
        const std::string content_type(r.header("Content-Type").value_or(""));
        if (content_type.starts_with("multipart/form-data")) {
          auto parts = parse_multipart(content_type, r.body);
          if (!parts) co_return problem(parts.error());
          const Part* file = nullptr;
          for (const Part& p : *parts) {
            if (p.name == "file") file = &p;
          }
          if (!file) {
            co_return problem(
                Error::invalid({"file", "is missing (a part named 'file')", "required", {}}));
          }
          data = file->data;
          if (file->filename && !file->filename->empty()) filename = *file->filename;
        }
        if (data.empty()) co_return problem(Error::invalid({"file", "is empty", "empty_file", {}}));
        // The header now, so a wrong file is refused at once, not in the background.
        {
          std::istringstream head{
              std::string(data.substr(0, std::min<std::size_t>(data.size(), 64 * 1024)))};
          ingest::CsvReader reader(head);
          auto header = reader.next_row();
          if (!header) co_return problem(Error::invalid("file", header.error().message));
          if (!*header) co_return problem(Error::invalid({"file", "is empty", "empty_file", {}}));
          if (auto ok = ingest::check_import_header(format, **header); !ok) {
            co_return problem(ok.error());
          }
        }
        const auto path =
            options_.imports->directory() / ("upload-" + app::random_code(16) + ".csv");
        {
          std::ofstream out(path, std::ios::binary);
          out.write(data.data(), static_cast<std::streamsize>(data.size()));
          if (!out) co_return problem(Error::internal("cannot store the upload"));
        }
        store::ImportRun run;
        run.format = format;
        run.filename = filename.substr(0, 255);
        run.file_path = path.string();
        run.bytes_total = static_cast<std::int64_t>(data.size());
        run.created_by = who->user.id;
        run.created_at = clock_.now();
        auto id = co_await write<std::int64_t>(
            [&](store::WriteTx& tx) { return tx.imports().create_run(run); });
        if (!id) {
          std::error_code ignored;
          std::filesystem::remove(path, ignored);
          co_return problem(id.error());
        }
        run.id = *id;
        options_.imports->enqueue(run.id);
        Response resp = json_response(202, import_run_json(run, clock_.now()));
        resp.with_header("Location", "/api/v1/imports/" + std::to_string(run.id));
        co_return resp;
      },
      RouteOptions{.max_body_bytes = options_.max_import_bytes});
  add(router, "GET", "/api/v1/imports/:id", "imports",
      "An uploaded import's progress (administrators): state (queued, running, done, failed), "
      "rows read, imported, skipped (already there), rejected, rate.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        if (auto admin = app::Admin::require_admin(who->actor); !admin) {
          co_return problem(admin.error());
        }
        auto id = number_param(r, "id");
        if (!id) co_return problem(Error::not_found("import"));
        auto run = store_.read<std::optional<store::ImportRun>>(
            [&](const store::ReadTx& tx) { return tx.imports().run(*id); });
        if (!run) co_return problem(run.error());
        if (!*run) co_return problem(Error::not_found("import"));
        co_return json_response(200, import_run_json(**run, clock_.now()));
      });
  add(router, "GET", "/api/v1/imports/:id/rejects", "imports",
      "The rows an uploaded import rejected (administrators), in file order: row number (the "
      "header is row 1), field and reason; ?limit= (1–1000, default 200) and ?cursor=.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        if (auto admin = app::Admin::require_admin(who->actor); !admin) {
          co_return problem(admin.error());
        }
        auto id = number_param(r, "id");
        if (!id) co_return problem(Error::not_found("import"));
        int limit = 200;
        std::int64_t after = 0;
        if (auto v = r.query_param("limit")) {
          int n = 0;
          auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
          if (ec != std::errc() || end != v->data() + v->size() || n < 1 || n > 1000) {
            co_return problem(Error::invalid(range_field("limit", 1, 1000)));
          }
          limit = n;
        }
        if (auto v = r.query_param("cursor")) {
          auto c = parse_cursor(*v);
          if (!c) co_return problem(c.error());
          after = *c;
        }
        auto rows = store_.read<std::optional<std::vector<store::ImportReject>>>(
            [&](const store::ReadTx& tx)
                -> Result<std::optional<std::vector<store::ImportReject>>> {
              REDRESS_TRY(auto run, tx.imports().run(*id));
              if (!run) return std::optional<std::vector<store::ImportReject>>();
              REDRESS_TRY(auto list, tx.imports().rejects(*id, after, limit));
              return std::optional<std::vector<store::ImportReject>>(std::move(list));
            });
        if (!rows) co_return problem(rows.error());
        if (!*rows) co_return problem(Error::not_found("import"));
        Json items = Json::array();
        for (const auto& x : **rows) {
          items.push_back({{"row", x.row}, {"field", x.field}, {"reason", x.reason}});
        }
        Json next = nullptr;
        if (static_cast<int>((*rows)->size()) == limit) next = list_cursor((*rows)->back().row);
        co_return json_response(200, Json{{"items", items}, {"next_cursor", next}});
      });
}

}  // namespace redress::http
