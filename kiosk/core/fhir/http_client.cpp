#include "core/fhir/http_client.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <mutex>
#include <stdexcept>

namespace kiosk::fhir {
namespace {

size_t append_body(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// libcurl's progress callback: non-zero aborts the transfer.
int check_cancel(void* flag, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return flag && static_cast<const std::atomic<bool>*>(flag)->load() ? 1 : 0;
}

// curl_global_init once per process, before any thread uses curl.
void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("libcurl did not initialise");
  });
}

std::string describe(CURLcode code, const char* detail) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return "timeout";
    case CURLE_COULDNT_CONNECT:
      return "connection refused";
    case CURLE_COULDNT_RESOLVE_HOST:
      return "host not found";
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      return "connection reset";
    case CURLE_GOT_NOTHING:
      return "connection closed without an answer";
    case CURLE_ABORTED_BY_CALLBACK:
      return "cancelled (the kiosk is stopping)";
    case CURLE_PEER_FAILED_VERIFICATION:
      return fmt::format("TLS certificate not trusted ({})", detail);
    case CURLE_SSL_CONNECT_ERROR:
      return fmt::format("TLS handshake failed ({})", detail);
    default:
      return fmt::format("{} ({})", curl_easy_strerror(code), detail);
  }
}

}  // namespace

HttpClient::HttpClient(HttpOptions options) : options_(std::move(options)) {
  init_curl_once();
  curl_ = curl_easy_init();
  if (!curl_) throw std::runtime_error("libcurl: no handle");
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpResponse HttpClient::post(const std::string& url, const std::vector<std::string>& headers,
                              const std::string& body) {
  auto* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);  // keeps the open connection; clears the last request's options
  HttpResponse r;
  char error[CURL_ERROR_SIZE] = {};
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_bundle.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_bundle.c_str());
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count() * 1000));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.request_timeout.count() * 1000));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "heel-kiosk-fhir-outbox");
  if (options_.cancel) {
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, check_cancel);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(options_.cancel));
  }
  const CURLcode code = curl_easy_perform(c);
  curl_slist_free_all(list);
  if (code != CURLE_OK) {
    r.transport_error = describe(code, error);
    r.timed_out = code == CURLE_OPERATION_TIMEDOUT;
    r.body.clear();
    return r;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  const char* type = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type) r.content_type = type;
  return r;
}

}  // namespace kiosk::fhir
