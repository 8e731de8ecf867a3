#include "reports/labels.h"

#include <array>
#include <string_view>

namespace redress::reports {

namespace {

struct Entry {
  std::string_view key;
  std::array<std::string_view, 6> text;  // en, es, fr, zh-Hans, zh-Hant, vi
};

// clang-format off
constexpr Entry kEntries[] = {
  {"title", {"Management review", "Revisión por la dirección", "Revue de direction", "管理评审报告", "管理評審報告", "Báo cáo xem xét của lãnh đạo"}},
  {"subtitle", {"Complaints received in the period", "Quejas recibidas en el periodo", "Réclamations reçues sur la période", "本期受理的投诉", "本期受理的投訴", "Khiếu nại tiếp nhận trong kỳ"}},
  {"period", {"Period", "Periodo", "Période", "期间", "期間", "Kỳ báo cáo"}},
  {"generated", {"Generated", "Generado", "Établi le", "生成时间", "產生時間", "Ngày lập"}},
  {"contents", {"Contents", "Contenido", "Sommaire", "目录", "目錄", "Mục lục"}},
  {"page", {"Page", "Página", "Page", "页", "頁", "Trang"}},
  {"headline", {"Headline figures", "Cifras principales", "Chiffres clés", "主要数据", "主要數據", "Số liệu chính"}},
  {"received", {"Received", "Recibidas", "Reçues", "受理总数", "受理總數", "Đã tiếp nhận"}},
  {"complaints", {"Complaints", "Quejas", "Réclamations", "投诉", "投訴", "Khiếu nại"}},
  {"suggestions", {"Suggestions", "Sugerencias", "Suggestions", "建议", "建議", "Góp ý"}},
  {"compliments", {"Compliments", "Felicitaciones", "Compliments", "表扬", "表揚", "Khen ngợi"}},
  {"open", {"Open", "Abiertas", "Ouvertes", "未结", "未結", "Đang mở"}},
  {"resolved", {"Resolved", "Resueltas", "Résolues", "已解决", "已解決", "Đã giải quyết"}},
  {"volume", {"Volume by month", "Volumen por mes", "Volume par mois", "每月投诉量", "每月投訴量", "Số lượng theo tháng"}},
  {"month", {"Month", "Mes", "Mois", "月份", "月份", "Tháng"}},
  {"count", {"Count", "Número", "Nombre", "数量", "數量", "Số lượng"}},
  {"share", {"Share", "Proporción", "Part", "占比", "占比", "Tỷ lệ"}},
  {"cumulative", {"Cumulative", "Acumulado", "Cumul", "累计", "累計", "Lũy kế"}},
  {"trend", {"Trend (per month)", "Tendencia (por mes)", "Tendance (par mois)", "趋势（每月）", "趨勢（每月）", "Xu hướng (mỗi tháng)"}},
  {"categories", {"Categories", "Categorías", "Catégories", "投诉类别", "投訴類別", "Loại khiếu nại"}},
  {"category", {"Category", "Categoría", "Catégorie", "投诉类别", "投訴類別", "Loại khiếu nại"}},
  {"root_causes", {"Root causes (Pareto)", "Causas raíz (Pareto)", "Causes racines (Pareto)", "根本原因（帕累托）", "根本原因（柏拉圖）", "Nguyên nhân gốc (Pareto)"}},
  {"by_family", {"By fishbone family", "Por familia (Ishikawa)", "Par famille (Ishikawa)", "按鱼骨图类别", "按魚骨圖類別", "Theo nhóm xương cá"}},
  {"by_cause", {"By cause", "Por causa", "Par cause", "按原因", "按原因", "Theo nguyên nhân"}},
  {"family", {"Family", "Familia", "Famille", "类别", "類別", "Nhóm"}},
  {"cause", {"Root cause", "Causa raíz", "Cause racine", "根本原因", "根本原因", "Nguyên nhân gốc"}},
  {"departments", {"Departments", "Departamentos", "Services", "责任部门", "責任部門", "Đơn vị chịu trách nhiệm"}},
  {"department", {"Responsible department", "Departamento responsable", "Service responsable", "责任部门", "責任部門", "Đơn vị chịu trách nhiệm"}},
  {"channels", {"Channels", "Canales", "Canaux", "渠道", "渠道", "Kênh"}},
  {"channel", {"Channel", "Canal", "Canal", "渠道", "渠道", "Kênh"}},
  {"none", {"(none)", "(ninguno)", "(aucun)", "（无）", "（無）", "(không có)"}},
  {"times", {"Response and resolution times", "Tiempos de respuesta y resolución", "Délais de réponse et de résolution", "响应与解决时间", "回應與解決時間", "Thời gian phản hồi và giải quyết"}},
  {"first_response", {"First response", "Primera respuesta", "Première réponse", "首次响应", "首次回應", "Phản hồi đầu tiên"}},
  {"resolution", {"Resolution", "Resolución", "Résolution", "解决", "解決", "Giải quyết"}},
  {"median", {"Median (h)", "Mediana (h)", "Médiane (h)", "中位数（小时）", "中位數（小時）", "Trung vị (giờ)"}},
  {"p90", {"90th percentile (h)", "Percentil 90 (h)", "90e centile (h)", "第90百分位（小时）", "第90百分位（小時）", "Bách phân vị 90 (giờ)"}},
  {"sla", {"SLA compliance", "Cumplimiento del SLA", "Respect des SLA", "SLA 达成率", "SLA 達成率", "Tuân thủ SLA"}},
  {"met", {"Met", "Cumplidos", "Respectés", "达成", "達成", "Đạt"}},
  {"breached", {"Breached", "Incumplidos", "Dépassés", "超时", "逾時", "Quá hạn"}},
  {"pending", {"Pending", "Pendientes", "En cours", "待定", "待定", "Đang chờ"}},
  {"compliance", {"Compliance", "Cumplimiento", "Taux de respect", "达成率", "達成率", "Tỷ lệ tuân thủ"}},
  {"source_timely", {"Timely at source (imported)", "Puntual en origen (importadas)", "Dans les délais à la source (importées)", "来源记录的及时答复（导入）", "來源記錄的及時答覆（匯入）", "Đúng hạn theo nguồn (nhập)"}},
  {"validity", {"Validity outcomes", "Resultado de la validez", "Recevabilité", "投诉成立情况", "投訴成立情況", "Kết quả xác minh"}},
  {"founded", {"Founded", "Fundadas", "Fondées", "成立", "成立", "Có cơ sở"}},
  {"unfounded", {"Unfounded", "Infundadas", "Non fondées", "不成立", "不成立", "Không có cơ sở"}},
  {"outcomes", {"Outcomes at source (imported)", "Resultados en origen (importadas)", "Issues à la source (importées)", "来源记录的处理结果（导入）", "來源記錄的處理結果（匯入）", "Kết quả theo nguồn (nhập)"}},
  {"remedies", {"Remedies granted and cost", "Remedios concedidos y coste", "Mesures accordées et coût", "处理措施与费用", "處理措施與費用", "Biện pháp khắc phục và chi phí"}},
  {"remedy", {"Remedy", "Remedio", "Mesure", "措施", "措施", "Biện pháp"}},
  {"amount", {"Amount", "Importe", "Montant", "金额", "金額", "Số tiền"}},
  {"currency", {"Currency", "Moneda", "Devise", "币种", "幣別", "Tiền tệ"}},
  {"satisfaction", {"Satisfaction", "Satisfacción", "Satisfaction", "满意度", "滿意度", "Mức độ hài lòng"}},
  {"average", {"Average (1–5)", "Media (1–5)", "Moyenne (1–5)", "平均分（1–5）", "平均分（1–5）", "Trung bình (1–5)"}},
  {"ratings", {"Ratings", "Valoraciones", "Évaluations", "评分数", "評分數", "Số đánh giá"}},
  {"reopen_appeal", {"Reopen and appeal", "Reapertura y apelación", "Réouverture et contestation", "重新打开与申诉", "重新開啟與申訴", "Mở lại và kháng nghị"}},
  {"reopen_rate", {"Reopen rate", "Tasa de reapertura", "Taux de réouverture", "重新打开率", "重新開啟率", "Tỷ lệ mở lại"}},
  {"appeal_rate", {"Appeal rate (of rejected)", "Tasa de apelación (de rechazadas)", "Taux de contestation (des rejetées)", "申诉率（占不成立）", "申訴率（占不成立）", "Tỷ lệ kháng nghị (trên số bị từ chối)"}},
  {"accountability", {"Accountability", "Rendición de cuentas", "Responsabilité", "责任追究", "責任追究", "Truy cứu trách nhiệm"}},
  {"kind", {"Kind", "Tipo", "Type", "类型", "類型", "Loại"}},
  {"subject", {"Subject", "Asunto", "Objet", "对象", "對象", "Đối tượng"}},
  {"loss", {"Loss", "Pérdida", "Perte", "损失", "損失", "Thiệt hại"}},
  {"confirmed", {"Confirmed", "Confirmadas", "Confirmées", "已确认", "已確認", "Đã xác nhận"}},
  {"sanction", {"Sanction", "Sanción", "Sanction", "处罚", "處罰", "Hình thức xử lý"}},
  {"recurring", {"Recurring complaints", "Quejas recurrentes", "Réclamations récurrentes", "重复投诉", "重複投訴", "Khiếu nại lặp lại"}},
  {"same_customer", {"Same customer", "Mismo cliente", "Même client", "同一顾客", "同一客戶", "Cùng khách hàng"}},
  {"same_object", {"Same object", "Mismo objeto", "Même objet", "同一对象", "同一對象", "Cùng đối tượng"}},
  {"groups", {"Groups", "Grupos", "Groupes", "组数", "組數", "Số nhóm"}},
  {"influential", {"Influential complaints (major impact)", "Quejas influyentes (impacto mayor)", "Réclamations majeures", "重大影响投诉", "重大影響投訴", "Khiếu nại có ảnh hưởng lớn"}},
  {"tracking_code", {"Tracking code", "Código de seguimiento", "Numéro de suivi", "查询编号", "查詢編號", "Mã tra cứu"}},
  {"state", {"State", "Estado", "État", "状态", "狀態", "Trạng thái"}},
  {"improvement", {"Improvement actions and lessons learned", "Acciones de mejora y lecciones aprendidas", "Actions d'amélioration et enseignements", "改进措施与经验教训", "改進措施與經驗教訓", "Biện pháp cải tiến và bài học kinh nghiệm"}},
  {"lessons_recorded", {"Lessons learned recorded", "Lecciones aprendidas registradas", "Enseignements consignés", "已记录经验教训", "已記錄經驗教訓", "Bài học kinh nghiệm đã ghi nhận"}},
  {"overdue", {"Overdue", "Vencidas", "En retard", "已超时", "已逾時", "Quá hạn"}},
  {"owner", {"Owner", "Responsable", "Responsable", "负责人", "負責人", "Người phụ trách"}},
  {"due", {"Due", "Vence", "Échéance", "期限", "期限", "Hạn"}},
  {"status", {"Status", "Estado", "Statut", "状态", "狀態", "Trạng thái"}},
  {"training", {"Training needs", "Necesidades de formación", "Besoins de formation", "培训需求", "培訓需求", "Nhu cầu đào tạo"}},
  {"topic", {"Topic", "Tema", "Thème", "主题", "主題", "Chủ đề"}},
  {"source", {"Source", "Origen", "Origine", "来源", "來源", "Nguồn"}},
  {"repeated", {"Repeated", "Repetida", "Répétée", "重复", "重複", "Lặp lại"}},
  {"yes", {"yes", "sí", "oui", "是", "是", "có"}},
  {"no", {"no", "no", "non", "否", "否", "không"}},
  {"board_title", {"Board report", "Informe a la dirección", "Rapport à la direction", "董事会报告", "董事會報告", "Báo cáo Ban Giám đốc"}},
  {"board_subtitle", {"Hotspots, influential and recurring complaints", "Focos, quejas influyentes y recurrentes", "Points chauds, réclamations influentes et récurrentes", "投诉热点、重大投诉及重复投诉", "投訴熱點、重大投訴及重複投訴", "Điểm nóng, khiếu nại nghiêm trọng và lặp lại"}},
  {"hotspots", {"Hotspots", "Focos de quejas", "Points chauds", "投诉热点", "投訴熱點", "Điểm nóng khiếu nại"}},
  {"dimension", {"Dimension", "Dimensión", "Dimension", "维度", "維度", "Chiều phân tích"}},
  {"dimension.category", {"Category", "Categoría", "Catégorie", "投诉类别", "投訴類別", "Loại khiếu nại"}},
  {"dimension.object", {"Object", "Objeto", "Objet", "投诉对象", "投訴對象", "Đối tượng khiếu nại"}},
  {"dimension.root_cause", {"Root cause", "Causa raíz", "Cause racine", "根本原因", "根本原因", "Nguyên nhân gốc"}},
  {"item", {"Item", "Elemento", "Élément", "项目", "項目", "Mục"}},
  {"recent", {"Recent", "Reciente", "Récent", "近期", "近期", "Gần đây"}},
  {"baseline", {"Baseline", "Referencia", "Référence", "基线", "基線", "Mức nền"}},
  {"expected", {"Expected", "Esperado", "Attendu", "预期", "預期", "Kỳ vọng"}},
  {"rate_ratio", {"Rate ratio", "Razón de tasas", "Rapport des taux", "比率", "比率", "Tỷ số tần suất"}},
  {"p_value", {"p-value", "valor p", "valeur p", "p 值", "p 值", "giá trị p"}},
  {"recent_window", {"Recent window", "Ventana reciente", "Fenêtre récente", "近期窗口", "近期窗口", "Khoảng gần đây"}},
  {"baseline_window", {"Baseline window", "Ventana de referencia", "Fenêtre de référence", "基线窗口", "基線窗口", "Khoảng nền"}},
  {"threshold", {"Threshold", "Umbral", "Seuil", "阈值", "閾值", "Ngưỡng"}},
  {"no_hotspots", {"No hotspot passed the threshold.", "Ningún foco superó el umbral.", "Aucun point chaud n'a franchi le seuil.", "没有热点超过阈值。", "沒有熱點超過閾值。", "Không có điểm nóng nào vượt ngưỡng."}},
  {"warning_ranking", {"Departments by founded complaints", "Departamentos por quejas fundadas", "Services par réclamations fondées", "各部门成立投诉排名", "各部門成立投訴排名", "Đơn vị theo số khiếu nại có cơ sở"}},
  {"major", {"Major", "Graves", "Majeures", "重大", "重大", "Nghiêm trọng"}},
  {"repeats", {"Repeats", "Repetidas", "Répétées", "重复", "重複", "Lặp lại"}},
  {"rank", {"Rank", "Puesto", "Rang", "排名", "排名", "Hạng"}},
  {"no_data", {"No data in this period.", "Sin datos en este periodo.", "Aucune donnée sur la période.", "本期无数据。", "本期無數據。", "Không có dữ liệu trong kỳ."}},
  {"source.people_cause", {"Cause: people", "Causa: personas", "Cause : main-d'œuvre", "原因：人", "原因：人", "Nguyên nhân: con người"}},
  {"source.service_attitude", {"Service attitude complaints", "Quejas de actitud de servicio", "Réclamations sur l'attitude du service", "服务态度投诉", "服務態度投訴", "Khiếu nại về thái độ phục vụ"}},
  {"family.people", {"people", "personas", "main-d'œuvre", "人", "人", "con người"}},
  {"family.method", {"method", "método", "méthode", "法", "法", "phương pháp"}},
  {"family.machine", {"machine", "máquina", "machine", "机", "機", "máy móc"}},
  {"family.material", {"material", "material", "matière", "料", "料", "nguyên vật liệu"}},
  {"family.measurement", {"measurement", "medición", "mesure", "测", "測", "đo lường"}},
  {"family.environment", {"environment", "entorno", "milieu", "环", "環", "môi trường"}},
  {"remedy.refund", {"refund", "reembolso", "remboursement", "退款", "退款", "hoàn tiền"}},
  {"remedy.return", {"return", "devolución", "retour", "退货", "退貨", "trả hàng"}},
  {"remedy.exchange", {"exchange", "cambio", "échange", "换货", "換貨", "đổi hàng"}},
  {"remedy.repair", {"repair", "reparación", "réparation", "维修", "維修", "sửa chữa"}},
  {"remedy.replacement", {"replacement", "sustitución", "remplacement", "更换", "更換", "thay thế"}},
  {"remedy.compensation", {"compensation", "compensación", "indemnisation", "赔偿", "賠償", "bồi thường"}},
  {"remedy.apology", {"apology", "disculpa", "excuses", "道歉", "道歉", "xin lỗi"}},
  {"remedy.service_improvement", {"service improvement", "mejora del servicio", "amélioration du service", "服务改进", "服務改進", "cải tiến dịch vụ"}},
  {"remedy.other", {"other", "otro", "autre", "其他", "其他", "khác"}},
  {"channel.portal", {"portal", "portal", "portail", "门户网站", "入口網站", "cổng thông tin"}},
  {"channel.email", {"e-mail", "correo electrónico", "e-mail", "电子邮件", "電子郵件", "e-mail"}},
  {"channel.phone", {"phone", "teléfono", "téléphone", "电话", "電話", "điện thoại"}},
  {"channel.chat", {"chat app", "mensajería", "messagerie", "聊天应用", "聊天應用", "ứng dụng chat"}},
  {"channel.letter", {"letter", "carta", "courrier", "信函", "信函", "thư"}},
  {"channel.in_person", {"in person", "en persona", "en personne", "现场", "現場", "trực tiếp"}},
  {"channel.feedback_form", {"feedback form", "formulario", "formulaire", "意见表", "意見表", "phiếu góp ý"}},
  {"channel.api", {"API", "API", "API", "API", "API", "API"}},
  {"accountability.finding", {"finding", "hallazgo", "constat", "调查结论", "調查結論", "kết luận"}},
  {"accountability.delay", {"delay", "retraso", "retard", "延误", "延誤", "chậm trễ"}},
  {"improvement.planned", {"planned", "prevista", "prévue", "计划中", "計劃中", "đã lên kế hoạch"}},
  {"improvement.in_progress", {"in progress", "en curso", "en cours", "进行中", "進行中", "đang thực hiện"}},
  {"improvement.done", {"done", "hecha", "réalisée", "已完成", "已完成", "đã xong"}},
  {"urgency.urgent", {"urgent", "urgente", "urgente", "紧急", "緊急", "khẩn cấp"}},
  {"urgency.important", {"important", "importante", "importante", "重要", "重要", "quan trọng"}},
  {"urgency.general", {"general", "general", "normale", "一般", "一般", "thông thường"}},
  {"state.new", {"new", "nueva", "nouvelle", "新建", "新建", "mới"}},
  {"state.assessing", {"assessing", "en evaluación", "en évaluation", "评估中", "評估中", "đang đánh giá"}},
  {"state.assigned", {"assigned", "asignada", "attribuée", "已分派", "已分派", "đã phân công"}},
  {"state.investigating", {"investigating", "en investigación", "en analyse", "调查中", "調查中", "đang điều tra"}},
  {"state.plan_review", {"plan review", "plan en revisión", "plan en revue", "方案审批", "方案審批", "chờ duyệt phương án"}},
  {"state.awaiting_customer", {"awaiting customer", "esperando al cliente", "en attente du client", "待客户确认", "待客戶確認", "chờ khách hàng"}},
  {"state.implementing", {"implementing", "en ejecución", "en cours de traitement", "处理中", "處理中", "đang thực hiện"}},
  {"state.verifying", {"verifying", "en verificación", "en vérification", "验证中", "驗證中", "đang kiểm tra"}},
  {"state.responding", {"responding", "por responder", "réponse à envoyer", "待答复", "待答覆", "chờ phúc đáp"}},
  {"state.resolved", {"resolved", "resuelta", "résolue", "已解决", "已解決", "đã giải quyết"}},
  {"state.closed", {"closed", "cerrada", "clôturée", "已关闭", "已關閉", "đã đóng"}},
  {"state.rejected", {"rejected", "rechazada", "rejetée", "不成立", "不成立", "bị từ chối"}},
  {"state.forwarded", {"forwarded", "remitida", "transmise", "已转交", "已轉交", "đã chuyển"}},
  {"state.withdrawn", {"withdrawn", "retirada", "retirée", "已撤回", "已撤回", "đã rút"}},
  {"state.on_hold", {"on hold", "en espera", "en attente", "暂停", "暫停", "tạm dừng"}},
};
// clang-format on

int language_index(std::string_view lang) {
  constexpr std::array<std::string_view, 6> kLangs{"en", "es", "fr", "zh-Hans", "zh-Hant", "vi"};
  for (std::size_t i = 0; i < kLangs.size(); ++i) {
    if (kLangs[i] == lang) return static_cast<int>(i);
  }
  return 0;
}

}  // namespace

std::string label(std::string_view lang, std::string_view key) {
  const int i = language_index(lang);
  for (const Entry& e : kEntries) {
    if (e.key == key) return std::string(e.text[static_cast<std::size_t>(i)]);
  }
  return std::string(key);
}

std::string term(std::string_view lang, std::string_view prefix, std::string_view code) {
  std::string key = std::string(prefix) + "." + std::string(code);
  std::string text = label(lang, key);
  return text == key ? std::string(code) : text;
}

}  // namespace redress::reports
