// HTTPS for the FHIR outbox, over libcurl: certificate and host checks always
// on (a CA bundle may be given), http and https only, timeouts on connect
// and on the whole request, no signals (safe on the sender's thread). One
// client keeps its connection open between requests. Request headers and
// bodies are never logged (they hold tokens and patient data).
// Thread: one HttpClient per thread.
#pragma once
#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace kiosk::fhir {

struct HttpOptions {
  std::filesystem::path ca_bundle;  // empty: the system's CA certificates
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds request_timeout{60};
  const std::atomic<bool>* cancel = nullptr;  // set (by another thread): the request in flight ends at once
};

struct HttpResponse {
  long status = 0;  // 0: no HTTP answer (see transport_error)
  std::string body;
  std::string content_type;
  std::string transport_error;  // e.g. "timeout", "connection refused", "connection reset"; empty: answered
  bool timed_out = false;
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `headers`: "Name: value" lines. Never throws for network failures: they come back in the response.
  HttpResponse post(const std::string& url, const std::vector<std::string>& headers, const std::string& body);

 private:
  HttpOptions options_;
  void* curl_;  // CURL*
};

}  // namespace kiosk::fhir
