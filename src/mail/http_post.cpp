#include "mail/http_post.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>

namespace redress::mail {

namespace {

// The response body is not used; a small part is kept for the error text.
std::size_t keep_some(char* data, std::size_t size, std::size_t count, void* user) {
  auto* out = static_cast<std::string*>(user);
  const std::size_t n = size * count;
  if (out->size() < 200) out->append(data, std::min(n, 200 - out->size()));
  return n;
}

}  // namespace

Result<long> post(const HttpPost& request) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (!request.url.starts_with("http://") && !request.url.starts_with("https://")) {
    return fail(Error::invalid("url", "must be an http:// or https:// URL"));
  }
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return fail(Error::internal("curl_easy_init failed"));
  curl_slist* headers =
      curl_slist_append(nullptr, ("Content-Type: " + request.content_type).c_str());
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  for (const auto& [name, value] : request.headers) {
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  }
  std::string response;
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "Redress-Webhooks/1");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
                   static_cast<long>(request.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_some);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    return fail(
        Error::unavailable(std::string("HTTP: ") + (error[0] ? error : curl_easy_strerror(rc))));
  }
  return status;
}

}  // namespace redress::mail
