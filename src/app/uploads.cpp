#include "app/uploads.h"

#include <magic.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "app/crypto.h"

namespace redress::app {

bool is_allowed_upload_type(std::string_view mime_type) {
  return std::find(kAllowedUploadTypes.begin(), kAllowedUploadTypes.end(), mime_type) !=
         kAllowedUploadTypes.end();
}

std::string clean_filename(std::string_view name) {
  const auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  for (unsigned char ch : name) {
    if (ch >= 0x20 && ch != 0x7f && ch != '"') out.push_back(static_cast<char>(ch));
  }
  if (out.empty() || out == "." || out == "..") out = "attachment";
  if (out.size() > 200) out.resize(200);
  return out;
}

ContentSniffer::ContentSniffer() {
  magic_ = magic_open(MAGIC_MIME_TYPE);
  if (magic_ == nullptr || magic_load(static_cast<magic_t>(magic_), nullptr) != 0) {
    if (magic_ != nullptr) magic_close(static_cast<magic_t>(magic_));
    throw std::runtime_error("libmagic could not load its database");
  }
}

ContentSniffer::~ContentSniffer() {
  if (magic_ != nullptr) magic_close(static_cast<magic_t>(magic_));
}

std::string ContentSniffer::type_of(std::string_view data) const {
  std::lock_guard lock(mutex_);
  const char* t = magic_buffer(static_cast<magic_t>(magic_), data.data(), data.size());
  return t != nullptr ? std::string(t) : std::string("application/octet-stream");
}

Result<StoredUpload> store_upload_file(const std::filesystem::path& dir, std::string_view data,
                                       std::string_view filename, std::string content_type) {
  StoredUpload u;
  u.filename = clean_filename(filename);
  u.content_type = std::move(content_type);
  u.size = static_cast<std::int64_t>(data.size());
  u.sha256 = sha256_hex(data);
  u.storage_key = u.sha256;  // content-addressed
  const auto sub = dir / u.sha256.substr(0, 2);
  const auto path = sub / u.sha256;
  std::error_code ec;
  std::filesystem::create_directories(sub, ec);
  if (!std::filesystem::exists(path)) {
    const auto tmp = path.string() + ".tmp" + random_code(6);
    std::ofstream out(tmp, std::ios::binary);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.close();
    if (!out || (std::filesystem::rename(tmp, path, ec), ec)) {
      std::filesystem::remove(tmp, ec);
      return fail(Error::internal("could not store the attachment"));
    }
  }
  return u;
}

}  // namespace redress::app
