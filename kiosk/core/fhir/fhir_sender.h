// The sender of the FHIR outbox (storage/outbox.h): takes queued sessions,
// builds each one's R4 transaction Bundle (export/fhir_bundle.h: conditional
// creates, so a resend is harmless) and POSTs it to fhir.base_url.
//   2xx transaction-response, every entry 2xx  → sent
//   timeout, reset, refused, 5xx, 408, 429     → retried: exponential backoff with jitter, capped
//   401/403, token refused                     → retried like a 5xx (the fault is the kiosk's credentials,
//                                                not the session: staff see it as the last error)
//   other 4xx with an OperationOutcome         → parked with the server's words (staff retry or drop)
//   other 4xx without one (wrong base_url?)    → retried
// Backoff lives in the database (next_attempt_at), so it survives restarts,
// kill -9 and days offline. With base_url empty nothing is sent.
// Thread: FhirSender on the thread that made it; SenderThread runs one on its
// own thread with its own database connection (never the UI thread).
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/config.h"
#include "core/export/fhir_questionnaire.h"
#include "core/fhir/client_auth.h"
#include "core/fhir/http_client.h"
#include "core/storage/database.h"

namespace kiosk::fhir {

// A session's transaction Bundle in parts of at most `max_entries` entries
// (fhir.bundle_max_entries: Medplum refuses a transaction of conditional
// creates with more than 8 entries). Each part is a transaction of its own;
// the outbox item is sent when every part was taken.
std::vector<nlohmann::json> transaction_parts(const nlohmann::json& bundle, int max_entries);

enum class Verdict { sent, retry, park, auth };
// What a server's answer to a transaction means; `detail` says why in the server's words (for staff).
Verdict classify(const HttpResponse& response, std::string& detail);

// Wait before try `attempts` + 1: first × 2^(attempts-1), capped at max, then × a random 0.5-1.0.
std::chrono::milliseconds backoff_delay(const FhirConfig& fhir, int attempts, std::mt19937_64& random);

struct SendResult {
  Verdict verdict = Verdict::retry;
  std::string detail;
};

struct PushReport {
  int sent = 0, parked = 0, failed = 0;
  std::int64_t left = 0;   // pending + parked afterwards
  std::string stopped_by;  // the failure that ended the push early (server unreachable, auth); empty: none
};

class FhirSender {
 public:
  // `cancel`: when set, a request in flight ends at once (the kiosk is stopping).
  // `questionnaires`: the screening and profile definitions (script/questionnaire.h),
  // sent ahead of the responses that name them.
  FhirSender(storage::Database& db, const Config& config, const std::filesystem::path& data_dir,
             const std::atomic<bool>* cancel = nullptr, records_export::QuestionnaireDefs questionnaires = {});
  bool enabled() const { return !config_.fhir.base_url.empty(); }

  // One attempt for one pending session; the outcome is written to the outbox.
  SendResult send(std::int64_t session_id, SystemClock::time_point now);
  // Every pending item once, oldest first, ignoring backoff; stops early at a
  // failure that is not the item's own (server down, auth) or when `stop` is set.
  PushReport push(const std::atomic<bool>* stop = nullptr);

 private:
  storage::Database& db_;
  Config config_;
  records_export::QuestionnaireDefs questionnaires_;
  HttpClient http_;
  ClientAuth auth_;
  const std::atomic<bool>* cancel_;
  std::mt19937_64 random_;
};

class SenderThread {
 public:
  SenderThread(std::filesystem::path db_file, Config config, std::filesystem::path data_dir,
               records_export::QuestionnaireDefs questionnaires = {});
  ~SenderThread();  // asks the thread to stop and joins it (a request in flight ends at its timeout)
  SenderThread(const SenderThread&) = delete;
  SenderThread& operator=(const SenderThread&) = delete;
  void wake();  // a session was queued: look now, not at the next backoff
  std::chrono::nanoseconds cpu_time() const { return std::chrono::nanoseconds(cpu_ns_.load()); }  // the thread's own

 private:
  void run();
  void wait_until(SystemClock::time_point when);

  std::filesystem::path db_file_, data_dir_;
  Config config_;
  records_export::QuestionnaireDefs questionnaires_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
  bool woken_ = false;
  std::atomic<long long> cpu_ns_{0};
  std::thread thread_;
};

}  // namespace kiosk::fhir
