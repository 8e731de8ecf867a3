#include "cli/review_mail.h"

#include "app/review.h"
#include "app/review_mailing.h"
#include "reports/management_review.h"

namespace redress::cli {

jobs::AttachmentMaker review_attachment_maker(store::Store& store, const Clock& clock) {
  return [&store,
          &clock](const store::OutboxMessage& row) -> Result<std::vector<mail::MailAttachment>> {
    std::vector<mail::MailAttachment> files;
    if (row.kind != app::kReviewMailKind) return files;
    const auto period = app::review_mail_period(nlohmann::json::parse(row.payload, nullptr, false));
    if (!period) {
      return fail(Error::invalid("payload", "a management_review mail needs its from and to"));
    }
    app::ManagementReviewRequest request;
    request.from = period->from;
    request.to = period->to;
    request.language = app::is_report_language(row.language) ? row.language : "en";
    const Actor system{.kind = Actor::Kind::system};
    const app::ManagementReview builder(clock);
    REDRESS_TRY(auto doc, store.read<nlohmann::json>([&](const store::ReadTx& tx) {
      return builder.build(tx, system, request);
    }));
    const std::string name = "management-review-" + format_iso8601(period->from).substr(0, 10) +
                             "-" + format_iso8601(period->to).substr(0, 10) + "-" +
                             request.language + ".pdf";
    files.push_back({name, "application/pdf", reports::management_review_pdf(doc)});
    return files;
  };
}

}  // namespace redress::cli
