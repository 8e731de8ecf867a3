// Evidence files: the checks every way of attaching one goes through (the
// upload route, e-mail in) and content-addressed storage on disk. The type is
// what libmagic finds in the bytes, never what the sender declared.
#pragma once

#include <array>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>

#include "app/case_records.h"
#include "core/result.h"

namespace redress::app {

// What a complaint may hold as evidence: images, PDF, text.
inline constexpr std::array<std::string_view, 8> kAllowedUploadTypes{
    "image/png",       "image/jpeg", "image/gif", "image/webp",
    "application/pdf", "text/plain", "text/csv",  "application/csv"};

struct UploadLimits {
  std::size_t max_bytes = std::size_t{10} * 1024 * 1024;  // one file
  std::size_t max_per_request = 10;                       // files in one upload (or one e-mail)
  std::size_t max_per_complaint = 50;                     // files a complaint's case file holds
};

bool is_allowed_upload_type(std::string_view mime_type);

// A safe file name for the record (no directories, no control characters,
// at most 200 bytes); "attachment" when nothing is left.
std::string clean_filename(std::string_view name);

// libmagic's MIME type of some bytes. Thread-safe (one cookie behind a mutex).
class ContentSniffer {
 public:
  // Throws std::runtime_error when libmagic cannot load its database.
  ContentSniffer();
  ~ContentSniffer();
  ContentSniffer(const ContentSniffer&) = delete;
  ContentSniffer& operator=(const ContentSniffer&) = delete;
  // "application/octet-stream" when libmagic has no answer.
  std::string type_of(std::string_view data) const;

 private:
  mutable std::mutex mutex_;
  void* magic_ = nullptr;  // magic_t, guarded by mutex_
};

// Writes `data` under `dir`/<first two hex digits>/<sha256> (once: identical
// files are stored once) and describes it for CaseRecords::add_attachments.
// internal when the file cannot be written. Thread-safe (write to a temporary
// name, then rename).
Result<StoredUpload> store_upload_file(const std::filesystem::path& dir, std::string_view data,
                                       std::string_view filename, std::string content_type);

}  // namespace redress::app
