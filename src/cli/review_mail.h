// The files mailed with the scheduled management review (app/review_mailing.h):
// the composition root gives this maker to the mail delivery handler, so jobs/
// does not draw PDFs itself.
#pragma once

#include "core/time.h"
#include "jobs/handlers.h"
#include "store/store.h"

namespace redress::cli {

// For an outbox row of kind management_review: the review of the row's period
// in the row's language, built as the system actor in one snapshot and drawn
// as a PDF ("management-review-FROM-TO-LANG.pdf"). No files for other rows;
// invalid_argument for a management_review row whose payload has no period.
jobs::AttachmentMaker review_attachment_maker(store::Store& store, const Clock& clock);

}  // namespace redress::cli
