// The demo organisation of the README's first command: the departments of
// seed 000 (customer service, quality management, storage and transport,
// sales, QA), one user per role, a taxonomy, routing and sanction rules, and
// complaints in every state, each moved there through the real use cases so
// its timeline is genuine. Intake goes through the same signals as every
// intake path (app/intake_signals.h), so the one deliberate repeat is flagged
// as a likely duplicate; `with_model` then trains the triage model from the
// complaints the demo agent classified, so new complaints get suggestions.
#include <array>
#include <iostream>
#include <map>

#include "app/admin.h"
#include "app/case_records.h"
#include "app/complaints.h"
#include "app/crypto.h"
#include "app/intake_signals.h"
#include "app/triage.h"
#include "cli/context.h"

namespace redress::cli {

namespace {

struct DemoText {
  const char* language;
  const char* name;
  const char* email;
  const char* subject;
  const char* description;
  const char* demands;
  const char* category;
};

// Short complaints written for the demo, in the six languages of SPEC §7.
constexpr std::array<DemoText, 12> kTexts{{
    {"en", "Mary Johnson", "mary.johnson@example.com", "Parcel two weeks late",
     "I ordered a kettle on 2 November (order 10-4471). Tracking has shown 'in transit' for two "
     "weeks and nobody answers the phone.",
     "Deliver the order or refund it.", "delivery_delay"},
    {"en", "Tom Baker", "tom.baker@example.com", "Blender arrived cracked",
     "The jug of the blender I received yesterday is cracked at the base and leaks.",
     "A replacement jug.", "product_quality.damaged"},
    {"es", "Lucía Fernández", "lucia.fernandez@example.es", "Retraso en la entrega",
     "Mi pedido 77-120 debía llegar el lunes y sigue sin llegar. Nadie me informa del retraso.",
     "Quiero la entrega esta semana o el reembolso.", "delivery_delay"},
    {"es", "Jorge Martín", "jorge.martin@example.es", "Actitud del personal",
     "El dependiente de la tienda del centro me atendió con malos modos cuando pedí el cambio.",
     "Una disculpa y que se revise la atención.", "service_attitude"},
    {"fr", "Claire Dubois", "claire.dubois@example.fr", "Facture erronée",
     "Ma facture d'octobre compte deux fois l'abonnement. Le service client ne répond pas.",
     "Le remboursement du montant facturé en double.", "billing"},
    {"fr", "Julien Moreau", "julien.moreau@example.fr", "Produit défectueux",
     "L'aspirateur acheté le mois dernier s'arrête après cinq minutes d'utilisation.",
     "Réparation ou échange.", "product_quality.defect"},
    {"zh-Hans", "王芳", "wang.fang@example.cn", "快递延误",
     "我在十一月一日下的订单至今没有送到，物流信息一直没有更新。", "请尽快发货或者退款。",
     "delivery_delay"},
    {"zh-Hans", "李伟", "li.wei@example.cn", "产品质量问题", "收到的电水壶底部漏水，无法使用。",
     "要求退货退款。", "product_quality.defect"},
    {"zh-Hant", "陳美玲", "chen.meiling@example.tw", "客服態度不佳",
     "電話客服人員態度冷淡，問題沒有解決就掛斷電話。", "希望得到道歉並改善服務。",
     "service_attitude"},
    {"vi", "Nguyễn Văn An", "nguyen.van.an@example.vn", "Giao hàng chậm",
     "Đơn hàng của tôi đã quá hạn giao một tuần mà chưa nhận được, không ai thông báo.",
     "Giao hàng ngay hoặc hoàn tiền.", "delivery_delay"},
    {"vi", "Trần Thị Bình", "tran.thi.binh@example.vn", "Sản phẩm bị lỗi",
     "Máy sấy tóc mới mua bị chập điện sau hai ngày sử dụng.", "Đổi sản phẩm mới.",
     "product_quality.defect"},
    {"en", "Ahmed Khan", "ahmed.khan@example.com", "Suggestion: evening delivery slots",
     "It would help working customers if you offered delivery slots after 6 pm.",
     "Consider evening slots.", "other"},
}};

// Who else writes each text on the second and third pass over kTexts: the
// same complaint from different people is common; the same person writing
// the same words twice within the duplicate window is what gets flagged, and
// the demo does that only once, on purpose (kRepeat).
struct DemoCustomer {
  const char* name;
  const char* email;
};
constexpr std::array<std::array<DemoCustomer, 2>, 12> kOtherCustomers{{
    {{{"Sarah Miller", "sarah.miller@example.com"}, {"David Clark", "david.clark@example.com"}}},
    {{{"Emma Wilson", "emma.wilson@example.com"}, {"James Lee", "james.lee@example.com"}}},
    {{{"Carmen López", "carmen.lopez@example.es"}, {"Pablo Ruiz", "pablo.ruiz@example.es"}}},
    {{{"Elena Gómez", "elena.gomez@example.es"}, {"Andrés Torres", "andres.torres@example.es"}}},
    {{{"Sophie Martin", "sophie.martin@example.fr"}, {"Luc Bernard", "luc.bernard@example.fr"}}},
    {{{"Camille Petit", "camille.petit@example.fr"}, {"Hugo Laurent", "hugo.laurent@example.fr"}}},
    {{{"张静", "zhang.jing@example.cn"}, {"刘洋", "liu.yang@example.cn"}}},
    {{{"陈磊", "chen.lei@example.cn"}, {"赵敏", "zhao.min@example.cn"}}},
    {{{"林志明", "lin.zhiming@example.tw"}, {"黃淑芬", "huang.shufen@example.tw"}}},
    {{{"Lê Thị Hoa", "le.thi.hoa@example.vn"}, {"Phạm Minh Tuấn", "pham.minh.tuan@example.vn"}}},
    {{{"Hoàng Văn Nam", "hoang.van.nam@example.vn"}, {"Vũ Thị Lan", "vu.thi.lan@example.vn"}}},
    {{{"Priya Shah", "priya.shah@example.com"}, {"Oliver Brown", "oliver.brown@example.com"}}},
}};

// Mary Johnson writes again a day after her first complaint, before any
// answer: the demo's likely duplicate, for an agent to merge.
constexpr DemoText kRepeat{
    "en",
    "Mary Johnson",
    "mary.johnson@example.com",
    "Still no parcel - kettle order 10-4471",
    "I ordered a kettle on 2 November (order 10-4471). Tracking has shown 'in transit' for two "
    "weeks now and still nobody answers the phone.",
    "Deliver the order or refund it.",
    "delivery_delay"};

struct Org {
  std::map<std::string, DepartmentId> dept;
  std::map<std::string, Actor> actor;
};

template <class T>
Result<T> sync(store::Store& s, std::move_only_function<Result<T>(store::WriteTx&)> fn) {
  return s.write_sync<T>(std::move(fn));
}

}  // namespace

Status load_demo(store::Store& store, Clock& real_clock, bool with_model) {
  REDRESS_TRY(auto existing, store.read<std::vector<Department>>([](const store::ReadTx& tx) {
    return tx.directory().departments();
  }));
  if (!existing.empty()) {
    return fail(
        Error::conflict("the database already holds an organisation; demo data is only "
                        "loaded into an empty one"));
  }
  const Instant start = real_clock.now() - std::chrono::days(45);
  FixedClock clock(start);
  app::Admin admin(clock);
  app::Complaints complaints(clock);
  app::CaseRecords records(clock);
  const app::DuplicateOptions duplicates;
  // Registers `in` as `who` with the signals every intake path computes.
  auto register_complaint = [&](const Actor& who,
                                const app::IntakeRequest& in) -> Result<app::IntakeResult> {
    const app::IntakeSignals signals = app::compute_intake_signals(nullptr, in);
    return sync<app::IntakeResult>(store, [&](store::WriteTx& tx) -> Result<app::IntakeResult> {
      REDRESS_TRY(auto created, complaints.submit(tx, who, in));
      REDRESS_TRY(auto flags,
                  app::record_intake_signals(tx, created.complaint, signals, duplicates));
      (void)flags;
      return created;
    });
  };
  const Actor system{.kind = Actor::Kind::system};
  Org org;

  struct DeptSpec {
    const char* code;
    const char* name;
  };
  for (const DeptSpec& d : {DeptSpec{"customer_service", "Customer service"},
                            DeptSpec{"quality_management", "Quality management"},
                            DeptSpec{"storage_transport", "Storage and transport"},
                            DeptSpec{"sales", "Sales"}, DeptSpec{"qa", "Quality assurance"}}) {
    REDRESS_TRY(auto made, sync<Department>(store, [&](store::WriteTx& tx) {
                  return admin.add_department(tx, system,
                                              Department{DepartmentId{}, d.code, d.name, {}, {}});
                }));
    org.dept[d.code] = made.id;
  }

  REDRESS_TRY(const std::string hash, app::hash_password("redress-demo"));
  struct UserSpec {
    const char* username;
    const char* display;
    std::vector<Role> roles;
    const char* department;
  };
  const std::vector<UserSpec> users{
      {"admin", "Ada Admin", {Role::admin}, nullptr},
      {"agent", "Alex Agent", {Role::agent}, "customer_service"},
      {"handler.st", "Sam Storage", {Role::handler}, "storage_transport"},
      {"handler.qm", "Quinn Quality", {Role::handler}, "quality_management"},
      {"supervisor.st", "Sofia Supervisor", {Role::supervisor}, "storage_transport"},
      {"supervisor.qm", "Omar Supervisor", {Role::supervisor}, "quality_management"},
      {"qa", "Priya QA", {Role::qa}, "qa"},
      {"director", "Diane Director", {Role::director}, nullptr},
  };
  std::vector<Department> departments;
  for (const UserSpec& u : users) {
    app::NewUser nu;
    nu.username = u.username;
    nu.password_hash = hash;
    nu.display_name = u.display;
    nu.roles = u.roles;
    nu.email = std::string(u.username) + "@staff.redress.example";
    if (u.department) nu.department_id = org.dept[u.department].value;
    REDRESS_TRY(auto made, sync<User>(store, [&](store::WriteTx& tx) {
                  return admin.add_user(tx, system, nu);
                }));
    org.actor[u.username] = Actor{};  // filled below once supervisors are linked
    org.actor[u.username].user = made.id;
  }
  // Supervisors head their departments.
  REDRESS_TRY(departments,
              sync<std::vector<Department>>(
                  store, [&](store::WriteTx& tx) -> Result<std::vector<Department>> {
                    for (auto [code, user] : {std::pair{"storage_transport", "supervisor.st"},
                                              std::pair{"quality_management", "supervisor.qm"}}) {
                      REDRESS_TRY(auto d, tx.directory().department(org.dept[code]));
                      d->supervisor = org.actor[user].user;
                      REDRESS_CHECK(tx.directory().update_department(*d));
                    }
                    return tx.directory().departments();
                  }));
  REDRESS_TRY(auto all_users, store.read<std::vector<User>>(
                                  [](const store::ReadTx& tx) { return tx.directory().users(); }));
  for (const User& u : all_users) {
    Actor a;
    a.kind = Actor::Kind::user;
    a.user = u.id;
    for (Role r : u.roles) a.roles.add(r);
    a.department = u.department;
    if (u.department) {
      a.scope = {*u.department};
    }
    org.actor[u.username] = a;
  }

  REDRESS_TRY(auto configured, sync<bool>(store, [&](store::WriteTx& tx) -> Result<bool> {
                for (const Category& c :
                     {Category{"product_quality", "Product quality", {}},
                      Category{"product_quality.defect", "Defect", "product_quality"},
                      Category{"product_quality.damaged", "Damaged on arrival", "product_quality"},
                      Category{"delivery_delay", "Delivery delay", {}},
                      Category{"service_attitude", "Service attitude", {}},
                      Category{"billing", "Billing", {}}, Category{"other", "Other", {}}}) {
                  REDRESS_TRY(auto made, admin.add_category(tx, system, c));
                  (void)made;
                }
                RoutingRule delivery;
                delivery.name = "Delivery delays go to storage and transport";
                delivery.position = 10;
                delivery.category = "delivery_delay";
                delivery.department_id = org.dept["storage_transport"].value;
                RoutingRule quality;
                quality.name = "Product quality goes to quality management";
                quality.position = 20;
                quality.category = "product_quality";
                quality.department_id = org.dept["quality_management"].value;
                RoutingRule billing;
                billing.name = "Billing goes to sales";
                billing.position = 40;
                billing.category = "billing";
                billing.department_id = org.dept["sales"].value;
                RoutingRule attitude;
                attitude.name = "Service attitude goes to customer service";
                attitude.position = 30;
                attitude.category = "service_attitude";
                attitude.department_id = org.dept["customer_service"].value;
                for (const RoutingRule& r : {delivery, quality, attitude, billing}) {
                  REDRESS_TRY(auto made, admin.add_routing_rule(tx, system, r));
                  (void)made;
                }
                for (const SanctionRule& r :
                     {SanctionRule{0, 0, 100, "verbal warning", std::nullopt},
                      SanctionRule{0, 100, 1000, "written warning", 5.0},
                      SanctionRule{0, 1000, std::nullopt, "wage deduction", 20.0}}) {
                  REDRESS_TRY(auto made, admin.add_sanction_rule(tx, system, r));
                  (void)made;
                }
                REDRESS_TRY(auto policy, admin.add_policy(tx, system, Policy{}));
                (void)policy;
                return true;
              }));
  (void)configured;

  // Complaints, each taken as far along the lifecycle as its `stage` says.
  auto step = [&](ComplaintId id, const std::string& who, app::TransitionRequest req) -> Status {
    clock.advance(std::chrono::hours(3));
    REDRESS_TRY(auto r, sync<app::TransitionResult>(store, [&](store::WriteTx& tx) {
                  return complaints.transition(tx, org.actor[who], id, req);
                }));
    (void)r;
    return {};
  };
  auto action = [](Action a, TransitionInput in = {}) {
    app::TransitionRequest r;
    r.action = a;
    r.input = std::move(in);
    return r;
  };
  const int kComplaints = 36;
  for (int i = 0; i < kComplaints; ++i) {
    const std::size_t text = static_cast<std::size_t>(i) % kTexts.size();
    const std::size_t pass = static_cast<std::size_t>(i) / kTexts.size();
    const DemoText& t = kTexts[text];
    clock.set(start + std::chrono::hours(i * 29));
    app::IntakeRequest in;
    const DemoCustomer who =
        pass == 0 ? DemoCustomer{t.name, t.email} : kOtherCustomers[text][(pass - 1) % 2];
    in.customer = {who.name, who.email, "", t.language, Channel::email};
    in.subject = t.subject;
    in.description = t.description;
    in.demands = t.demands;
    in.channel = i % 3 == 0 ? Channel::phone : Channel::portal;
    const Actor& intake_actor =
        i % 3 == 0 ? org.actor["agent"] : Actor{.kind = Actor::Kind::customer};
    REDRESS_TRY(auto created, register_complaint(intake_actor, in));
    const ComplaintId id = created.complaint.id;
    if (i == 0) {
      // The repeat, a day later: registered now so its timeline interleaves
      // with the first one's like a real one would.
      clock.advance(std::chrono::hours(26));
      app::IntakeRequest again;
      again.customer = {kRepeat.name, kRepeat.email, "", kRepeat.language, Channel::email};
      again.subject = kRepeat.subject;
      again.description = kRepeat.description;
      again.demands = kRepeat.demands;
      again.channel = Channel::portal;
      REDRESS_TRY(auto repeat, register_complaint(Actor{.kind = Actor::Kind::customer}, again));
      (void)repeat;
      clock.set(start + std::chrono::hours(i * 29));
    }
    const int stage = (i * 5 + i / 12) % 12;  // 0 = new … 11 = closed, spread over the texts
    const bool suggestion = std::string(t.category) == "other";
    const std::string category = t.category;
    const bool quality = category.starts_with("product_quality");
    const bool attitude = category == "service_attitude";
    const std::string handler = quality ? "handler.qm" : "handler.st";
    const std::string supervisor = quality ? "supervisor.qm" : "supervisor.st";
    if (stage < 1) continue;
    REDRESS_CHECK(step(id, "agent", action(Action::take)));
    if (stage < 2) continue;
    if (suggestion) {
      REDRESS_CHECK(step(
          id, "agent",
          action(Action::forward,
                 {.department_ids = {org.dept["storage_transport"].value, org.dept["sales"].value},
                  .note = "Customer suggestion for the delivery planning."})));
      continue;
    }
    if (attitude && stage % 2 == 0) {
      REDRESS_CHECK(
          step(id, "agent",
               action(Action::reject,
                      {.reason = "Store CCTV and two witnesses show a courteous exchange.",
                       .reply_text = "Thank you for telling us. We reviewed the visit "
                                     "carefully and could not confirm the behaviour "
                                     "you describe; you may appeal."})));
      continue;
    }
    TransitionInput accept{.category = category,
                           .urgency = i % 7 == 0 ? Urgency::urgent : Urgency::general,
                           .difficulty = Difficulty::simple};
    if (attitude) accept.department_id = org.dept["customer_service"].value;
    REDRESS_CHECK(step(id, "agent", action(Action::accept, accept)));
    if (attitude || category == "billing") continue;  // departments without demo handlers
    if (stage < 3) continue;
    REDRESS_CHECK(step(id, handler, action(Action::start_investigation)));
    clock.advance(std::chrono::hours(2));
    REDRESS_TRY(auto cause, sync<Cause>(store, [&](store::WriteTx& tx) {
                  return records.add_cause(tx, org.actor[handler], id,
                                           {quality ? CauseFamily::material : CauseFamily::method,
                                            quality ? "Supplier batch with thin glass at the base"
                                                    : "Carrier hand-over skipped on weekend shifts",
                                            quality ? "Supplier QA" : "Warehouse shift lead",
                                            {},
                                            ""});
                }));
    (void)cause;
    if (stage < 4) continue;
    app::TransitionRequest plan =
        action(Action::propose_plan, {.feasibility = "In stock; can be done this week."});
    plan.remedies = {Remedy{0, id, 0, quality ? RemedyType::replacement : RemedyType::refund,
                            quality ? "Send a new unit" : "Refund the delivery fee",
                            quality ? std::nullopt : std::optional<double>(9.90),
                            quality ? "" : "EUR"}};
    REDRESS_CHECK(step(id, handler, std::move(plan)));
    if (stage < 5) continue;
    REDRESS_CHECK(
        step(id, supervisor,
             action(Action::approve_plan, {.instructions = "Approved. Apologise as well."})));
    if (i % 7 == 0) {
      REDRESS_CHECK(step(id, "director",
                         action(Action::approve_plan, {.instructions = "Urgent: handle today."})));
    }
    if (stage < 6) continue;
    REDRESS_CHECK(step(id, "agent", action(Action::record_customer_answer, {.accepted = true})));
    if (stage < 7) continue;
    clock.advance(std::chrono::hours(4));
    REDRESS_TRY(auto task, sync<Task>(store, [&](store::WriteTx& tx) {
                  return records.add_task(
                      tx, org.actor[handler], id,
                      {"Carry out the agreed remedy", TaskKind::corrective,
                       org.actor[handler].user.value, clock.now() + std::chrono::days(3)});
                }));
    REDRESS_TRY(auto done, sync<Task>(store, [&](store::WriteTx& tx) {
                  return records.update_task(
                      tx, org.actor[handler], id, task.id,
                      {TaskStatus::done, std::string("Done and confirmed.")});
                }));
    (void)done;
    if (stage < 8) continue;
    REDRESS_CHECK(step(id, handler, action(Action::submit_for_verification)));
    if (stage < 9) continue;
    REDRESS_CHECK(
        step(id, "qa", action(Action::verify_pass, {.note = "Checked with the customer."})));
    if (stage < 10) continue;
    REDRESS_CHECK(step(id, "agent",
                       action(Action::reply, {.channel = Channel::email,
                                              .text = "The agreed remedy has been carried out. "
                                                      "Thank you for your patience."})));
    if (stage < 11) continue;
    REDRESS_TRY(
        auto rated, sync<bool>(store, [&](store::WriteTx& tx) -> Result<bool> {
          REDRESS_CHECK(records.record_satisfaction(tx, org.actor["agent"], id, 3 + i % 3, ""));
          return true;
        }));
    (void)rated;
    REDRESS_CHECK(
        step(id, "agent", action(Action::close, {.lessons = "Check hand-over steps weekly."})));
  }
  if (with_model) {
    // Learns from what the demo agent confirmed; `redress serve` loads it.
    REDRESS_TRY(auto model, app::train_and_store(store, real_clock, app::TriageOptions{}, nullptr));
    std::cout << "triage model version " << model.version << " trained on " << model.examples
              << " classified complaints\n";
  }
  return {};
}

}  // namespace redress::cli
