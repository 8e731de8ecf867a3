// Routes for the case file of a complaint: messages, attachments, causes,
// plan, tasks, accountability, review and satisfaction.
#include <magic.h>

#include <filesystem>
#include <fstream>

#include "app/crypto.h"
#include "app/uploads.h"
#include "http/api.h"
#include "http/api_helpers.h"
#include "http/await.h"
#include "http/json_io.h"
#include "http/multipart.h"
#include "http/problem.h"
#include "http/requests.h"

namespace redress::http {

namespace {

// The upload refusals, each with its rule and params (docs/api.md, "Field
// errors") so the web app can say them in its reader's language.
FieldError upload_error(std::string message, std::string rule,
                        std::vector<std::pair<std::string, std::string>> params) {
  return FieldError{"file", std::move(message), std::move(rule), std::move(params)};
}

}  // namespace

Result<std::vector<app::StoredUpload>> Api::store_uploads(const Request& r, std::size_t held) {
  REDRESS_TRY(auto parts, parse_multipart(r.header("Content-Type").value_or(""), r.body));
  const auto files = static_cast<std::size_t>(
      std::count_if(parts.begin(), parts.end(), [](const Part& p) { return p.name == "file"; }));
  if (files == 0) {
    return fail(
        Error::invalid(upload_error("send at least one part named 'file'", "min_items", {})));
  }
  if (files > options_.max_files_per_upload) {
    const std::string max = std::to_string(options_.max_files_per_upload);
    return fail(Error::invalid(
        upload_error("at most " + max + " files per request (" + std::to_string(files) + " sent)",
                     "max_files", {{"max", max}})));
  }
  if (held + files > options_.max_attachments_per_complaint) {
    const std::string max = std::to_string(options_.max_attachments_per_complaint);
    return fail(Error::invalid(upload_error(
        "a complaint holds at most " + max + " attachments (it has " + std::to_string(held) + ")",
        "max_attachments", {{"max", max}})));
  }
  // Every part is checked before any is written: a refused upload leaves no file.
  std::vector<std::string> types;
  for (const Part& part : parts) {
    if (part.name != "file") continue;
    const std::string name = app::clean_filename(part.filename.value_or("attachment"));
    if (part.data.size() > options_.max_upload_bytes) {
      const std::string limit = std::to_string(options_.max_upload_bytes / (1024 * 1024)) + " MiB";
      return fail(Error{ErrorCode::payload_too_large,
                        "a file is larger than " + limit + " (" + name + ")",
                        {upload_error("is larger than " + limit + " (" + name + ")",
                                      "file_too_large", {{"max", limit}, {"file", name}})}});
    }
    std::string type;
    {
      std::lock_guard lock(magic_mutex_);
      const char* t =
          magic_buffer(static_cast<magic_t>(magic_), part.data.data(), part.data.size());
      type = t ? t : "application/octet-stream";
    }
    if (!app::is_allowed_upload_type(type)) {
      return fail(Error{ErrorCode::unsupported_media_type,
                        "files of type " + type + " are not accepted (images, PDF and text are)",
                        {upload_error("unsupported type " + type + " (" + name +
                                          "): send an image, a PDF or a text file",
                                      "file_type", {{"media_type", type}, {"file", name}})}});
    }
    types.push_back(std::move(type));
  }
  std::vector<app::StoredUpload> uploads;
  std::size_t i = 0;
  for (const Part& part : parts) {
    if (part.name != "file") continue;
    REDRESS_TRY(auto u, app::store_upload_file(options_.attachment_dir, part.data,
                                               part.filename.value_or("attachment"),
                                               std::move(types[i++])));
    uploads.push_back(std::move(u));
  }
  return uploads;
}

Response Api::attachment_download(const Attachment& a) const {
  if (a.storage_key.empty()) return problem(Error::not_found("attachment (its file was erased)"));
  std::ifstream in(options_.attachment_dir / a.storage_key.substr(0, 2) / a.storage_key,
                   std::ios::binary);
  if (!in) return problem(Error::internal("the attachment file is missing"));
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Response resp = Response::text(200, std::move(data), a.content_type);
  resp.with_header("Content-Disposition", "attachment; filename=\"" + a.filename + "\"");
  resp.with_header("X-Content-Type-Options", "nosniff");
  return resp;
}

void Api::register_records(Router& router) {
  // Reads one list of the case file after checking the complaint is visible.
  auto list_route = [this, &router](std::string path, std::string summary, auto fetch) {
    add(router, "GET", path, "case file", std::move(summary),
        [this, fetch](Request& r) -> Awaitable {
          auto who = authenticate(r, false);
          if (!who) co_return problem(who.error());
          auto id = number_param(r, "id");
          if (!id) co_return problem(Error::not_found("complaint"));
          auto items = store_.read<Json>([&](const store::ReadTx& tx) -> Result<Json> {
            REDRESS_TRY(auto c, app::load_visible(tx, who->actor, ComplaintId{*id}));
            return fetch(tx, c);
          });
          if (!items) co_return problem(items.error());
          co_return json_response(200, *items);
        });
  };

  list_route("/api/v1/complaints/:id/messages",
             "Messages to and from the customer, and internal notes.",
             [](const store::ReadTx& tx, const Complaint& c) -> Result<Json> {
               REDRESS_TRY(auto rows, tx.records().messages(c.id));
               Json items = Json::array();
               for (const auto& m : rows) items.push_back(message_json(m));
               return Json{{"items", items}};
             });
  add(router, "POST", "/api/v1/complaints/:id/messages", "case file",
      "Ask the customer a question, record what they said, or add an internal note.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        auto id = number_param(r, "id");
        if (!id) co_return problem(Error::not_found("complaint"));
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        std::vector<FieldError> errors;
        FieldReader f(*body, errors);
        const app::MessageRequest req = read_message(f);
        if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
        auto m = co_await write<Message>([&](store::WriteTx& tx) {
          return records_.add_message(tx, who->actor, ComplaintId{*id}, req);
        });
        if (!m) co_return problem(m.error());
        co_return json_response(201, message_json(*m));
      });

  list_route("/api/v1/complaints/:id/attachments", "Evidence files of the complaint.",
             [](const store::ReadTx& tx, const Complaint& c) -> Result<Json> {
               REDRESS_TRY(auto rows, tx.records().attachments(c.id));
               Json items = Json::array();
               for (const auto& a : rows) items.push_back(attachment_json(a));
               return Json{{"items", items}};
             });
  add(
      router, "POST", "/api/v1/complaints/:id/attachments", "case file",
      "Upload evidence (multipart/form-data, field 'file'; images, PDF, text; 10 MiB).",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        auto id = number_param(r, "id");
        if (!id) co_return problem(Error::not_found("complaint"));
        // Check the scope and the role before touching the disk (404 unknown, 403 outside
        // the scope or the roles), and how many files the case file holds.
        auto held = store_.read<std::size_t>([&](const store::ReadTx& tx) -> Result<std::size_t> {
          REDRESS_TRY(auto c, app::load_for_write(tx, who->actor, ComplaintId{*id}));
          REDRESS_CHECK(app::check_may_attach(who->actor, c));
          REDRESS_TRY(auto rows, tx.records().attachments(c.id));
          return rows.size();
        });
        if (!held) co_return problem(held.error());
        auto uploads = store_uploads(r, *held);
        if (!uploads) co_return problem(uploads.error());
        auto stored = co_await write<std::vector<Attachment>>([&](store::WriteTx& tx) {
          return records_.add_attachments(tx, who->actor, ComplaintId{*id}, *uploads);
        });
        if (!stored) co_return problem(stored.error());
        Json items = Json::array();
        for (const auto& a : *stored) items.push_back(attachment_json(a));
        co_return json_response(201, Json{{"items", items}});
      },
      RouteOptions{.max_body_bytes = options_.max_upload_bytes + 64 * 1024});
  add(router, "GET", "/api/v1/complaints/:id/attachments/:aid", "case file",
      "Download an attachment.", [this](Request& r) -> Awaitable {
        auto who = authenticate(r, false);
        if (!who) co_return problem(who.error());
        auto id = number_param(r, "id");
        auto aid = number_param(r, "aid");
        if (!id || !aid) co_return problem(Error::not_found("attachment"));
        auto found = store_.read<Attachment>([&](const store::ReadTx& tx) -> Result<Attachment> {
          REDRESS_TRY(auto c, app::load_visible(tx, who->actor, ComplaintId{*id}));
          REDRESS_TRY(auto rows, tx.records().attachments(c.id));
          for (auto& a : rows) {
            if (a.id == *aid) return a;
          }
          return fail(Error::not_found("attachment"));
        });
        if (!found) co_return problem(found.error());
        co_return attachment_download(*found);
      });

  list_route("/api/v1/complaints/:id/causes", "Root causes found by the investigation.",
             [](const store::ReadTx& tx, const Complaint& c) -> Result<Json> {
               REDRESS_TRY(auto rows, tx.records().causes(c.id));
               Json items = Json::array();
               for (const auto& x : rows) items.push_back(cause_json(x));
               return Json{{"items", items}};
             });
  add(router, "POST", "/api/v1/complaints/:id/causes", "case file",
      "Record a root cause (fishbone family, description, person or unit responsible).",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        auto id = number_param(r, "id");
        if (!id) co_return problem(Error::not_found("complaint"));
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        std::vector<FieldError> errors;
        FieldReader f(*body, errors);
        const app::CauseRequest req = read_cause(f);
        if (!errors.empty()) {
          // Name every bad field at once, not only the unreadable ones.
          if (req.description.find_first_not_of(" \t\r\n") == std::string::npos) {
            errors.push_back(required_field("description"));
          }
          co_return problem(Error::invalid(std::move(errors)));
        }
        auto c = co_await write<Cause>([&](store::WriteTx& tx) {
          return records_.add_cause(tx, who->actor, ComplaintId{*id}, req);
        });
        if (!c) co_return problem(c.error());
        co_return json_response(201, cause_json(*c));
      });

  list_route(
      "/api/v1/complaints/:id/plan", "The remedy plan, with earlier rounds as history.",
      [](const store::ReadTx& tx, const Complaint& c) -> Result<Json> {
        Json history = Json::array();
        Json current = Json::array();
        for (int round = 1; round <= c.plan_round; ++round) {
          REDRESS_TRY(auto rows, tx.records().remedies(c.id, round));
          Json remedies = Json::array();
          for (const auto& m : rows) remedies.push_back(remedy_json(m));
          if (round == c.plan_round)
            current = remedies;
          else
            history.push_back(Json{{"round", round}, {"remedies", remedies}});
        }
        return Json{
            {"round", c.plan_round},
            {"feasibility", c.feasibility},
            {"estimated_cost", c.estimated_cost ? Json(*c.estimated_cost) : Json(nullptr)},
            {"remedies", current},
            {"supervisor_approved", c.supervisor_approved},
            {"director_approved", c.director_approved},
            {"instructions", c.plan_instructions},
            {"customer_accepted", c.customer_accepted ? Json(*c.customer_accepted) : Json(nullptr)},
            {"customer_reason", c.customer_answer_reason},
            {"history", history}};
      });

  list_route("/api/v1/complaints/:id/tasks", "Corrective and preventive tasks.",
             [](const store::ReadTx& tx, const Complaint& c) -> Result<Json> {
               REDRESS_TRY(auto rows, tx.records().tasks(c.id));
               Json items = Json::array();
               for (const auto& t : rows) items.push_back(task_json(t));
               return Json{{"items", items}};
             });
  add(router, "POST", "/api/v1/complaints/:id/tasks", "case file",
      "Add a corrective or preventive task with owner and due date.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        auto id = number_param(r, "id");
        if (!id) co_return problem(Error::not_found("complaint"));
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        std::vector<FieldError> errors;
        FieldReader f(*body, errors);
        const app::TaskRequest req = read_task(f);
        if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
        auto t = co_await write<Task>([&](store::WriteTx& tx) {
          return records_.add_task(tx, who->actor, ComplaintId{*id}, req);
        });
        if (!t) co_return problem(t.error());
        co_return json_response(201, task_json(*t));
      });
  add(router, "PATCH", "/api/v1/complaints/:id/tasks/:tid", "case file",
      "Update a task's status or add a progress note.", [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        auto id = number_param(r, "id");
        auto tid = number_param(r, "tid");
        if (!id || !tid) co_return problem(Error::not_found("task"));
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        std::vector<FieldError> errors;
        FieldReader f(*body, errors);
        const app::TaskUpdate req = read_task_update(f);
        if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
        auto t = co_await write<Task>([&](store::WriteTx& tx) {
          return records_.update_task(tx, who->actor, ComplaintId{*id}, *tid, req);
        });
        if (!t) co_return problem(t.error());
        co_return json_response(200, task_json(*t));
      });

  list_route("/api/v1/complaints/:id/accountability", "Accountability findings and sanctions.",
             [](const store::ReadTx& tx, const Complaint& c) -> Result<Json> {
               REDRESS_TRY(auto rows, tx.records().accountability(c.id));
               Json items = Json::array();
               for (const auto& e : rows) items.push_back(accountability_json(e));
               return Json{{"items", items}};
             });
  add(router, "POST", "/api/v1/complaints/:id/accountability", "case file",
      "Record who is responsible; the sanction rules propose a sanction by loss.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        auto id = number_param(r, "id");
        if (!id) co_return problem(Error::not_found("complaint"));
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        std::vector<FieldError> errors;
        FieldReader f(*body, errors);
        const app::AccountabilityRequest req = read_accountability(f);
        if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
        auto e = co_await write<AccountabilityEntry>([&](store::WriteTx& tx) {
          return records_.add_accountability(tx, who->actor, ComplaintId{*id}, req);
        });
        if (!e) co_return problem(e.error());
        co_return json_response(201, accountability_json(*e));
      });
  add(router, "POST", "/api/v1/complaints/:id/accountability/:eid/confirm", "case file",
      "A supervisor or director confirms or changes the proposed sanction.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        auto id = number_param(r, "id");
        auto eid = number_param(r, "eid");
        if (!id || !eid) co_return problem(Error::not_found("accountability entry"));
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        std::vector<FieldError> errors;
        FieldReader f(*body, errors);
        const app::ConfirmSanction req = read_confirm_sanction(f);
        if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
        auto e = co_await write<AccountabilityEntry>([&](store::WriteTx& tx) {
          return records_.confirm_sanction(tx, who->actor, ComplaintId{*id}, *eid, req);
        });
        if (!e) co_return problem(e.error());
        co_return json_response(200, accountability_json(*e));
      });

  list_route("/api/v1/complaints/:id/review", "Lessons learned and improvement actions.",
             [](const store::ReadTx& tx, const Complaint& c) -> Result<Json> {
               REDRESS_TRY(auto rows, tx.records().improvement_actions(c.id));
               Json items = Json::array();
               for (const auto& a : rows) items.push_back(improvement_action_json(a));
               return Json{{"lessons", c.lessons}, {"improvement_actions", items}};
             });
  add(router, "PUT", "/api/v1/complaints/:id/review", "case file",
      "Record lessons learned and improvement actions (owner, deadline, resources).",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        auto id = number_param(r, "id");
        if (!id) co_return problem(Error::not_found("complaint"));
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        std::vector<FieldError> errors;
        FieldReader f(*body, errors);
        const app::ReviewRequest req = read_review(f, errors);
        if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
        auto saved = co_await write<app::ReviewRequest>([&](store::WriteTx& tx) {
          return records_.put_review(tx, who->actor, ComplaintId{*id}, req);
        });
        if (!saved) co_return problem(saved.error());
        Json items = Json::array();
        for (const auto& a : saved->improvement_actions)
          items.push_back(improvement_action_json(a));
        co_return json_response(200,
                                Json{{"lessons", saved->lessons}, {"improvement_actions", items}});
      });

  list_route("/api/v1/complaints/:id/satisfaction", "The satisfaction score and the feedback log.",
             [](const store::ReadTx& tx, const Complaint& c) -> Result<Json> {
               REDRESS_TRY(auto rows, tx.records().feedback(c.id));
               Json log = Json::array();
               for (const auto& f : rows) {
                 log.push_back(Json{{"kind", f.kind},
                                    {"score", f.score ? Json(*f.score) : Json(nullptr)},
                                    {"text", f.text},
                                    {"source", f.source},
                                    {"at", format_iso8601(f.at)}});
               }
               return Json{
                   {"score", c.satisfaction_score ? Json(*c.satisfaction_score) : Json(nullptr)},
                   {"comment", c.satisfaction_comment},
                   {"feedback", log}};
             });
  add(router, "POST", "/api/v1/complaints/:id/satisfaction", "case file",
      "Record the customer's satisfaction (1–5) given by phone or in person.",
      [this](Request& r) -> Awaitable {
        auto who = authenticate(r, true);
        if (!who) co_return problem(who.error());
        auto id = number_param(r, "id");
        if (!id) co_return problem(Error::not_found("complaint"));
        auto body = parse_json_object(r.body);
        if (!body) co_return body_problem(body.error());
        std::vector<FieldError> errors;
        FieldReader f(*body, errors);
        const SatisfactionRequest sat = read_satisfaction(f, errors);
        if (!errors.empty()) co_return problem(Error::invalid(std::move(errors)));
        auto done = co_await write<bool>([&](store::WriteTx& tx) -> Result<bool> {
          REDRESS_CHECK(records_.record_satisfaction(tx, who->actor, ComplaintId{*id}, sat.score,
                                                     sat.comment));
          return true;
        });
        if (!done) co_return problem(done.error());
        co_return json_response(201, Json{{"score", sat.score}, {"comment", sat.comment}});
      });
}

}  // namespace redress::http
