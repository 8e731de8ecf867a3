#include "mail/templates.h"

#include <algorithm>
#include <kainjow/mustache.hpp>

namespace redress::mail {

namespace {

struct Template {
  const char* kind;
  const char* language;
  const char* subject;
  const char* body;
};

// Terms follow shared/GLOSSARY.md (tracking code, acknowledgement, handling
// plan, reply, satisfaction, escalation, overdue, person in charge).
constexpr Template kTemplates[] = {
    // ---- acknowledgement
    {"acknowledgement", "en", "Your complaint {{tracking_code}} has been registered",
     "Dear {{customer_name}},\n\nWe have registered your complaint. Your tracking code is "
     "{{tracking_code}}.\n{{#tracking_link}}Follow it here: {{tracking_link}}\n{{/tracking_link}}"
     "\nWe will keep you informed.\n"},
    {"acknowledgement", "es", "Su queja {{tracking_code}} ha sido registrada",
     "Estimado/a {{customer_name}}:\n\nHemos registrado su queja. Su código de seguimiento es "
     "{{tracking_code}}.\n{{#tracking_link}}Puede seguirla aquí: {{tracking_link}}\n"
     "{{/tracking_link}}\nLe mantendremos informado/a.\n"},
    {"acknowledgement", "fr", "Votre réclamation {{tracking_code}} a été enregistrée",
     "Bonjour {{customer_name}},\n\nNous avons enregistré votre réclamation. Votre numéro de suivi "
     "est {{tracking_code}}.\n{{#tracking_link}}Suivez-la ici : {{tracking_link}}\n"
     "{{/tracking_link}}\nNous vous tiendrons informé(e).\n"},
    {"acknowledgement", "zh-Hans", "受理回执：您的投诉 {{tracking_code}} 已受理登记",
     "{{customer_name}}，您好：\n\n我们已受理登记您的投诉，查询编号为 {{tracking_code}}。\n"
     "{{#tracking_link}}查询链接：{{tracking_link}}\n{{/"
     "tracking_link}}\n我们会及时告知处理进展。\n"},
    {"acknowledgement", "zh-Hant", "受理回執：您的投訴 {{tracking_code}} 已受理登記",
     "{{customer_name}}，您好：\n\n我們已受理登記您的投訴，查詢編號為 {{tracking_code}}。\n"
     "{{#tracking_link}}查詢連結：{{tracking_link}}\n{{/"
     "tracking_link}}\n我們會及時告知處理進展。\n"},
    {"acknowledgement", "vi", "Xác nhận đã tiếp nhận khiếu nại {{tracking_code}}",
     "Kính gửi {{customer_name}},\n\nChúng tôi đã tiếp nhận khiếu nại của quý khách. Mã tra cứu: "
     "{{tracking_code}}.\n{{#tracking_link}}Theo dõi tại: {{tracking_link}}\n{{/tracking_link}}"
     "\nChúng tôi sẽ thông báo kết quả cho quý khách.\n"},
    // ---- question
    {"question", "en", "A question about your complaint {{tracking_code}}",
     "Dear {{customer_name}},\n\n{{text}}\n\nPlease answer through the portal or by replying to "
     "this e-mail, quoting tracking code {{tracking_code}}.\n"},
    {"question", "es", "Una pregunta sobre su queja {{tracking_code}}",
     "Estimado/a {{customer_name}}:\n\n{{text}}\n\nResponda en el portal o a este correo, "
     "indicando el código de seguimiento {{tracking_code}}.\n"},
    {"question", "fr", "Une question sur votre réclamation {{tracking_code}}",
     "Bonjour {{customer_name}},\n\n{{text}}\n\nRépondez sur le portail ou à ce courriel en "
     "rappelant le numéro de suivi {{tracking_code}}.\n"},
    {"question", "zh-Hans", "关于您的投诉 {{tracking_code}} 的问题",
     "{{customer_name}}，您好：\n\n{{text}}\n\n请通过门户网站或回复本邮件作答，并注明查询编号 "
     "{{tracking_code}}。\n"},
    {"question", "zh-Hant", "關於您的投訴 {{tracking_code}} 的問題",
     "{{customer_name}}，您好：\n\n{{text}}\n\n請透過入口網站或回覆本郵件作答，並註明查詢編號 "
     "{{tracking_code}}。\n"},
    {"question", "vi", "Câu hỏi về khiếu nại {{tracking_code}}",
     "Kính gửi {{customer_name}},\n\n{{text}}\n\nVui lòng trả lời qua cổng thông tin hoặc trả lời "
     "thư này, ghi rõ mã tra cứu {{tracking_code}}.\n"},
    // ---- proposal
    {"proposal", "en", "Our handling plan for your complaint {{tracking_code}}",
     "Dear {{customer_name}},\n\n{{text}}\n\nPlease tell us whether you agree, through the portal "
     "or by replying to this e-mail.\n"},
    {"proposal", "es", "Nuestro plan de manejo para su queja {{tracking_code}}",
     "Estimado/a {{customer_name}}:\n\n{{text}}\n\nIndíquenos si está conforme, en el portal o "
     "respondiendo a este correo.\n"},
    {"proposal", "fr", "Notre plan de traitement pour votre réclamation {{tracking_code}}",
     "Bonjour {{customer_name}},\n\n{{text}}\n\nDites-nous si vous êtes d'accord, sur le portail "
     "ou en répondant à ce courriel.\n"},
    {"proposal", "zh-Hans", "您的投诉 {{tracking_code}} 的处理方案",
     "{{customer_name}}，您好：\n\n{{text}}\n\n请通过门户网站或回复本邮件告知您是否同意。\n"},
    {"proposal", "zh-Hant", "您的投訴 {{tracking_code}} 的處理方案",
     "{{customer_name}}，您好：\n\n{{text}}\n\n請透過入口網站或回覆本郵件告知您是否同意。\n"},
    {"proposal", "vi", "Phương án xử lý khiếu nại {{tracking_code}}",
     "Kính gửi {{customer_name}},\n\n{{text}}\n\nVui lòng cho chúng tôi biết quý khách có đồng ý "
     "không, qua cổng thông tin hoặc trả lời thư này.\n"},
    // ---- rejection
    {"rejection", "en", "Your complaint {{tracking_code}}: our decision",
     "Dear {{customer_name}},\n\n{{text}}\n\nIf you disagree you may appeal through the portal.\n"},
    {"rejection", "es", "Su queja {{tracking_code}}: nuestra decisión",
     "Estimado/a {{customer_name}}:\n\n{{text}}\n\nSi no está de acuerdo, puede apelar en el "
     "portal.\n"},
    {"rejection", "fr", "Votre réclamation {{tracking_code}} : notre décision",
     "Bonjour {{customer_name}},\n\n{{text}}\n\nSi vous n'êtes pas d'accord, vous pouvez contester "
     "sur le portail.\n"},
    {"rejection", "zh-Hans", "您的投诉 {{tracking_code}}：处理决定",
     "{{customer_name}}，您好：\n\n{{text}}\n\n如有异议，您可以通过门户网站申诉。\n"},
    {"rejection", "zh-Hant", "您的投訴 {{tracking_code}}：處理決定",
     "{{customer_name}}，您好：\n\n{{text}}\n\n如有異議，您可以透過入口網站申訴。\n"},
    {"rejection", "vi", "Khiếu nại {{tracking_code}}: quyết định của chúng tôi",
     "Kính gửi {{customer_name}},\n\n{{text}}\n\nNếu không đồng ý, quý khách có thể kháng nghị qua "
     "cổng thông tin.\n"},
    // ---- reply
    {"reply", "en", "Reply to your complaint {{tracking_code}}",
     "Dear {{customer_name}},\n\n{{text}}\n\nThank you for helping us improve.\n"},
    {"reply", "es", "Respuesta a su queja {{tracking_code}}",
     "Estimado/a {{customer_name}}:\n\n{{text}}\n\nGracias por ayudarnos a mejorar.\n"},
    {"reply", "fr", "Réponse à votre réclamation {{tracking_code}}",
     "Bonjour {{customer_name}},\n\n{{text}}\n\nMerci de nous aider à nous améliorer.\n"},
    {"reply", "zh-Hans", "关于您的投诉 {{tracking_code}} 的答复",
     "{{customer_name}}，您好：\n\n{{text}}\n\n感谢您帮助我们改进。\n"},
    {"reply", "zh-Hant", "關於您的投訴 {{tracking_code}} 的答覆",
     "{{customer_name}}，您好：\n\n{{text}}\n\n感謝您幫助我們改進。\n"},
    {"reply", "vi", "Phúc đáp khiếu nại {{tracking_code}}",
     "Kính gửi {{customer_name}},\n\n{{text}}\n\nCảm ơn quý khách đã giúp chúng tôi cải thiện.\n"},
    // ---- merged (a duplicate merged into the customer's earlier complaint)
    {"merged", "en", "Your complaint {{tracking_code}} continues under {{original_tracking_code}}",
     "Dear {{customer_name}},\n\nYour complaint {{tracking_code}} is the same as your complaint "
     "{{original_tracking_code}}. We handle them together under {{original_tracking_code}}, where "
     "your messages and attachments now are.\n"},
    {"merged", "es", "Su queja {{tracking_code}} continúa como {{original_tracking_code}}",
     "Estimado/a {{customer_name}}:\n\nSu queja {{tracking_code}} es la misma que su queja "
     "{{original_tracking_code}}. Las tramitamos juntas como {{original_tracking_code}}, donde "
     "están ahora sus mensajes y documentos.\n"},
    {"merged", "fr", "Votre réclamation {{tracking_code}} continue sous {{original_tracking_code}}",
     "Bonjour {{customer_name}},\n\nVotre réclamation {{tracking_code}} est la même que votre "
     "réclamation {{original_tracking_code}}. Nous les traitons ensemble sous "
     "{{original_tracking_code}}, où se trouvent désormais vos messages et pièces jointes.\n"},
    {"merged", "zh-Hans", "您的投诉 {{tracking_code}} 已并入 {{original_tracking_code}}",
     "{{customer_name}}，您好：\n\n您的投诉 {{tracking_code}} 与您之前的投诉 "
     "{{original_tracking_code}} 相同，我们将在 {{original_tracking_code}} "
     "下一并处理，您的留言和附件也已转入该投诉。\n"},
    {"merged", "zh-Hant", "您的投訴 {{tracking_code}} 已併入 {{original_tracking_code}}",
     "{{customer_name}}，您好：\n\n您的投訴 {{tracking_code}} 與您之前的投訴 "
     "{{original_tracking_code}} 相同，我們將在 {{original_tracking_code}} "
     "下一併處理，您的留言和附件也已轉入該投訴。\n"},
    {"merged", "vi", "Khiếu nại {{tracking_code}} được xử lý chung với {{original_tracking_code}}",
     "Kính gửi {{customer_name}},\n\nKhiếu nại {{tracking_code}} trùng với khiếu nại "
     "{{original_tracking_code}} của quý khách. Chúng tôi xử lý chung dưới mã "
     "{{original_tracking_code}}, nơi hiện lưu các tin nhắn và tệp đính kèm của quý khách.\n"},
    // ---- survey
    {"survey", "en", "How satisfied are you? ({{tracking_code}})",
     "Dear {{customer_name}},\n\nPlease rate your satisfaction with how we handled complaint "
     "{{tracking_code}}{{#tracking_link}}: {{tracking_link}}{{/tracking_link}}.\n"},
    {"survey", "es", "¿Cuál es su nivel de satisfacción? ({{tracking_code}})",
     "Estimado/a {{customer_name}}:\n\nValore su satisfacción con la gestión de la queja "
     "{{tracking_code}}{{#tracking_link}}: {{tracking_link}}{{/tracking_link}}.\n"},
    {"survey", "fr", "Votre satisfaction ({{tracking_code}})",
     "Bonjour {{customer_name}},\n\nDonnez-nous votre satisfaction sur le traitement de la "
     "réclamation {{tracking_code}}{{#tracking_link}} : {{tracking_link}}{{/tracking_link}}.\n"},
    {"survey", "zh-Hans", "满意度调查（{{tracking_code}}）",
     "{{customer_name}}，您好：\n\n请为投诉 {{tracking_code}} "
     "的处理评价满意度{{#tracking_link}}：{{tracking_link}}{{/tracking_link}}。\n"},
    {"survey", "zh-Hant", "滿意度調查（{{tracking_code}}）",
     "{{customer_name}}，您好：\n\n請為投訴 {{tracking_code}} "
     "的處理評價滿意度{{#tracking_link}}：{{tracking_link}}{{/tracking_link}}。\n"},
    {"survey", "vi", "Mức độ hài lòng của quý khách ({{tracking_code}})",
     "Kính gửi {{customer_name}},\n\nVui lòng đánh giá mức độ hài lòng về việc xử lý khiếu nại "
     "{{tracking_code}}{{#tracking_link}}: {{tracking_link}}{{/tracking_link}}.\n"},
    // ---- sla_warning (staff)
    {"sla_warning", "en", "Due soon: {{clock_label}} for complaint {{tracking_code}}",
     "{{recipient_name}},\n\nThe {{clock_label}} target ({{target}}) of complaint "
     "{{tracking_code}} is due at {{due_at}}.\n{{#complaint_link}}{{complaint_link}}\n"
     "{{/complaint_link}}"},
    {"sla_warning", "es", "Vence pronto: {{clock_label}} de la queja {{tracking_code}}",
     "{{recipient_name}}:\n\nEl plazo ({{target}}) de la queja {{tracking_code}} vence el "
     "{{due_at}}.\n{{#complaint_link}}{{complaint_link}}\n{{/complaint_link}}"},
    {"sla_warning", "fr", "Échéance proche : réclamation {{tracking_code}}",
     "{{recipient_name}},\n\nLe délai ({{target}}) de la réclamation {{tracking_code}} expire le "
     "{{due_at}}.\n{{#complaint_link}}{{complaint_link}}\n{{/complaint_link}}"},
    {"sla_warning", "zh-Hans", "即将超时：投诉 {{tracking_code}}",
     "{{recipient_name}}：\n\n投诉 {{tracking_code}} 的时限（{{target}}）将于 {{due_at}} "
     "到期。\n{{#complaint_link}}{{complaint_link}}\n{{/complaint_link}}"},
    {"sla_warning", "zh-Hant", "即將逾時：投訴 {{tracking_code}}",
     "{{recipient_name}}：\n\n投訴 {{tracking_code}} 的時限（{{target}}）將於 {{due_at}} "
     "到期。\n{{#complaint_link}}{{complaint_link}}\n{{/complaint_link}}"},
    {"sla_warning", "vi", "Sắp quá hạn: khiếu nại {{tracking_code}}",
     "{{recipient_name}},\n\nThời hạn ({{target}}) của khiếu nại {{tracking_code}} sẽ hết lúc "
     "{{due_at}}.\n{{#complaint_link}}{{complaint_link}}\n{{/complaint_link}}"},
    // ---- escalation (staff)
    {"escalation", "en", "Escalation (level {{level}}): complaint {{tracking_code}}",
     "{{recipient_name}},\n\nComplaint {{tracking_code}} has been escalated to you "
     "({{reason}}).{{#due_at}} The {{clock_label}} target ({{target}}) was due at {{due_at}}; "
     "person in charge: {{holder}}.{{/due_at}}\n{{#complaint_link}}{{complaint_link}}\n"
     "{{/complaint_link}}"},
    {"escalation", "es", "Escalamiento (nivel {{level}}): queja {{tracking_code}}",
     "{{recipient_name}}:\n\nLa queja {{tracking_code}} se le ha escalado ({{reason}})."
     "{{#due_at}} El plazo ({{target}}) venció el {{due_at}}; persona a cargo: {{holder}}."
     "{{/due_at}}\n{{#complaint_link}}{{complaint_link}}\n{{/complaint_link}}"},
    {"escalation", "fr", "Escalade (niveau {{level}}) : réclamation {{tracking_code}}",
     "{{recipient_name}},\n\nLa réclamation {{tracking_code}} vous est transmise par escalade "
     "({{reason}}).{{#due_at}} Le délai ({{target}}) expirait le {{due_at}} ; responsable du "
     "dossier : {{holder}}.{{/due_at}}\n{{#complaint_link}}{{complaint_link}}\n"
     "{{/complaint_link}}"},
    {"escalation", "zh-Hans", "升级上报（第 {{level}} 级）：投诉 {{tracking_code}}",
     "{{recipient_name}}：\n\n投诉 {{tracking_code}} 已升级上报给您（{{reason}}）。"
     "{{#due_at}}时限（{{target}}）已于 {{due_at}} 到期，负责人：{{holder}}。{{/due_at}}\n"
     "{{#complaint_link}}{{complaint_link}}\n{{/complaint_link}}"},
    {"escalation", "zh-Hant", "升級上報（第 {{level}} 級）：投訴 {{tracking_code}}",
     "{{recipient_name}}：\n\n投訴 {{tracking_code}} 已升級上報給您（{{reason}}）。"
     "{{#due_at}}時限（{{target}}）已於 {{due_at}} 到期，負責人：{{holder}}。{{/due_at}}\n"
     "{{#complaint_link}}{{complaint_link}}\n{{/complaint_link}}"},
    {"escalation", "vi", "Chuyển cấp (cấp {{level}}): khiếu nại {{tracking_code}}",
     "{{recipient_name}},\n\nKhiếu nại {{tracking_code}} đã được chuyển cấp cho anh/chị "
     "({{reason}}).{{#due_at}} Thời hạn ({{target}}) đã hết lúc {{due_at}}; người phụ trách: "
     "{{holder}}.{{/due_at}}\n{{#complaint_link}}{{complaint_link}}\n{{/complaint_link}}"},
    // ---- assignment (staff)
    {"assignment", "en", "Assigned to you: complaint {{tracking_code}}",
     "{{recipient_name}},\n\nYou are now the person in charge of complaint {{tracking_code}}.\n"
     "{{#complaint_link}}{{complaint_link}}\n{{/complaint_link}}"},
    {"assignment", "es", "Asignada a usted: queja {{tracking_code}}",
     "{{recipient_name}}:\n\nAhora es la persona a cargo de la queja {{tracking_code}}.\n"
     "{{#complaint_link}}{{complaint_link}}\n{{/complaint_link}}"},
    {"assignment", "fr", "Attribuée à vous : réclamation {{tracking_code}}",
     "{{recipient_name}},\n\nVous êtes désormais responsable du dossier {{tracking_code}}.\n"
     "{{#complaint_link}}{{complaint_link}}\n{{/complaint_link}}"},
    {"assignment", "zh-Hans", "已分派给您：投诉 {{tracking_code}}",
     "{{recipient_name}}：\n\n您现在是投诉 {{tracking_code}} 的负责人。\n"
     "{{#complaint_link}}{{complaint_link}}\n{{/complaint_link}}"},
    {"assignment", "zh-Hant", "已分派給您：投訴 {{tracking_code}}",
     "{{recipient_name}}：\n\n您現在是投訴 {{tracking_code}} 的負責人。\n"
     "{{#complaint_link}}{{complaint_link}}\n{{/complaint_link}}"},
    {"assignment", "vi", "Phân công cho anh/chị: khiếu nại {{tracking_code}}",
     "{{recipient_name}},\n\nAnh/chị là người phụ trách khiếu nại {{tracking_code}}.\n"
     "{{#complaint_link}}{{complaint_link}}\n{{/complaint_link}}"},
    // ---- management_review (staff: the directors, every six months)
    {"management_review", "en", "Management review {{period_from}} – {{period_to}}",
     "{{recipient_name}},\n\nThe management review of the complaints received from "
     "{{period_from}} to {{period_to}} is attached as a PDF.\n{{#review_link}}The same report "
     "online: {{review_link}}\n{{/review_link}}"},
    {"management_review", "es", "Revisión por la dirección {{period_from}} – {{period_to}}",
     "{{recipient_name}}:\n\nSe adjunta en PDF la revisión por la dirección de las quejas "
     "recibidas del {{period_from}} al {{period_to}}.\n{{#review_link}}El mismo informe en "
     "línea: {{review_link}}\n{{/review_link}}"},
    {"management_review", "fr", "Revue de direction {{period_from}} – {{period_to}}",
     "{{recipient_name}},\n\nVous trouverez en pièce jointe (PDF) la revue de direction des "
     "réclamations reçues du {{period_from}} au {{period_to}}.\n{{#review_link}}Le même "
     "rapport en ligne : {{review_link}}\n{{/review_link}}"},
    {"management_review", "zh-Hans", "管理评审报告 {{period_from}} – {{period_to}}",
     "{{recipient_name}}：\n\n附件（PDF）为 {{period_from}} 至 {{period_to}} "
     "期间受理投诉的管理评审报告。\n{{#review_link}}在线查看：{{review_link}}\n{{/review_link}}"},
    {"management_review", "zh-Hant", "管理評審報告 {{period_from}} – {{period_to}}",
     "{{recipient_name}}：\n\n附件（PDF）為 {{period_from}} 至 {{period_to}} "
     "期間受理投訴的管理評審報告。\n{{#review_link}}線上查看：{{review_link}}\n{{/review_link}}"},
    {"management_review", "vi", "Báo cáo xem xét của lãnh đạo {{period_from}} – {{period_to}}",
     "{{recipient_name}},\n\nĐính kèm (PDF) là báo cáo xem xét của lãnh đạo về các khiếu nại "
     "nhận từ {{period_from}} đến {{period_to}}.\n{{#review_link}}Xem trực tuyến: "
     "{{review_link}}\n{{/review_link}}"},
};

Result<std::string> render_one(const std::string& text, const kainjow::mustache::data& data) {
  kainjow::mustache::mustache tmpl{text};
  if (!tmpl.is_valid()) return fail(Error::invalid("template", tmpl.error_message()));
  tmpl.set_custom_escape([](const std::string& s) { return s; });  // text/plain
  return tmpl.render(data);
}

}  // namespace

const std::vector<std::string>& template_kinds() {
  static const std::vector<std::string> kinds{
      "acknowledgement", "question", "proposal",         "rejection",
      "reply",           "survey",   "sla_warning",      "escalation",
      "assignment",      "merged",   "management_review"};
  return kinds;
}

const std::vector<std::string>& template_languages() {
  static const std::vector<std::string> languages{"en", "es", "fr", "zh-Hans", "zh-Hant", "vi"};
  return languages;
}

std::optional<RenderedMail> shipped_template(const std::string& kind, const std::string& language) {
  for (const Template& t : kTemplates) {
    if (kind == t.kind && language == t.language) return RenderedMail{t.subject, t.body};
  }
  return std::nullopt;
}

const std::vector<std::string>& template_variables(const std::string& kind) {
  // What the use cases put in each kind's outbox payload (app/complaints.cpp,
  // app/sla.cpp) and what jobs/ adds (tracking_link; complaint_link for staff).
  static const std::vector<std::string> customer{"customer_name", "tracking_code", "tracking_link"};
  static const std::vector<std::string> customer_text{"customer_name", "text", "tracking_code",
                                                      "tracking_link"};
  static const std::vector<std::string> staff{"complaint_id", "complaint_link", "recipient_name",
                                              "tracking_code", "tracking_link"};
  static const std::vector<std::string> warning{
      "clock",  "clock_id",      "clock_label",    "complaint_id",  "complaint_link",
      "due_at", "holder",        "recipient_name", "sla_policy_id", "state",
      "target", "tracking_code", "tracking_link"};
  static const std::vector<std::string> escalation{
      "clock",         "clock_id", "clock_label", "complaint_id",  "complaint_link",
      "due_at",        "holder",   "level",       "reason",        "recipient_name",
      "sla_policy_id", "state",    "target",      "tracking_code", "tracking_link"};
  static const std::vector<std::string> merged{"customer_name", "original_tracking_code",
                                               "tracking_code", "tracking_link"};
  static const std::vector<std::string> review{"period_from", "period_to", "recipient_name",
                                               "review_link"};
  static const std::vector<std::string> none;
  if (kind == "acknowledgement" || kind == "survey") return customer;
  if (kind == "merged") return merged;
  if (kind == "question" || kind == "proposal" || kind == "rejection" || kind == "reply") {
    return customer_text;
  }
  if (kind == "assignment") return staff;
  if (kind == "sla_warning") return warning;
  if (kind == "escalation") return escalation;
  if (kind == "management_review") return review;
  return none;
}

namespace {

// The names a mustache text refers to; an error for partials and delimiter
// changes (a template cannot include other files or change its syntax).
Result<std::vector<std::string>> tag_names(const std::string& text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while ((at = text.find("{{", at)) != std::string::npos) {
    std::size_t start = at + 2;
    bool triple = start < text.size() && text[start] == '{';
    if (triple) ++start;
    const std::size_t end = text.find(triple ? "}}}" : "}}", start);
    if (end == std::string::npos) return fail(Error::invalid("template", "unclosed tag"));
    std::string tag = text.substr(start, end - start);
    at = end + (triple ? 3 : 2);
    while (!tag.empty() && tag.front() == ' ') tag.erase(0, 1);
    if (tag.empty()) continue;
    const char sigil = tag.front();
    if (sigil == '!') continue;  // a comment
    if (sigil == '>' || sigil == '<') {
      return fail(Error::invalid("template", "partials ({{>name}}) are not allowed"));
    }
    if (sigil == '=') {
      return fail(Error::invalid("template", "delimiter changes ({{=…=}}) are not allowed"));
    }
    if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '&') tag.erase(0, 1);
    while (!tag.empty() && (tag.front() == ' ')) tag.erase(0, 1);
    while (!tag.empty() && (tag.back() == ' ')) tag.pop_back();
    out.push_back(tag);
  }
  return out;
}

void check_text(const char* field, const std::string& text, const std::string& kind,
                std::vector<FieldError>& errors) {
  kainjow::mustache::mustache tmpl{text};
  if (!tmpl.is_valid()) {
    errors.push_back({field, "is not valid mustache: " + tmpl.error_message()});
    return;
  }
  auto names = tag_names(text);
  if (!names) {
    errors.push_back({field, names.error().message});
    return;
  }
  const auto& known = template_variables(kind);
  for (const std::string& name : *names) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      errors.push_back({field, "uses the unknown variable '" + name + "' (" + kind +
                                   " templates may use: " + list + ")"});
    }
  }
}

}  // namespace

std::vector<FieldError> validate_template(const std::string& kind, const std::string& subject,
                                          const std::string& body) {
  std::vector<FieldError> errors;
  if (subject.find_first_not_of(" \t") == std::string::npos) {
    errors.push_back(required_field("subject"));
  } else if (subject.size() > 300) {
    errors.push_back(too_long_field("subject", 300));
  } else if (subject.find_first_of("\r\n") != std::string::npos) {
    errors.push_back({"subject", "must be one line"});
  } else {
    check_text("subject", subject, kind, errors);
  }
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    errors.push_back(required_field("body"));
  } else if (body.size() > 20000) {
    errors.push_back(too_long_field("body", 20000));
  } else {
    check_text("body", body, kind, errors);
  }
  return errors;
}

Result<RenderedMail> render(const std::string& kind, const std::string& language,
                            const nlohmann::json& data, const TemplateLookup& overrides) {
  std::optional<RenderedMail> text;
  for (const std::string& lang : {language, std::string("en")}) {
    if (overrides) text = overrides(kind, lang);
    if (!text) text = shipped_template(kind, lang);
    if (text) break;
  }
  if (!text) return fail(Error::not_found("mail template " + kind));
  kainjow::mustache::data vars;
  if (data.is_object()) {
    for (const auto& [key, value] : data.items()) {
      if (value.is_string()) {
        vars.set(key, value.get<std::string>());
      } else if (value.is_number() || value.is_boolean()) {
        vars.set(key, value.dump());
      }
    }
  }
  REDRESS_TRY(std::string subject, render_one(text->subject, vars));
  REDRESS_TRY(std::string body, render_one(text->body, vars));
  while (!subject.empty() && (subject.back() == '\n' || subject.back() == '\r')) subject.pop_back();
  return RenderedMail{std::move(subject), std::move(body)};
}

}  // namespace redress::mail
