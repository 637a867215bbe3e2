#include "core/fhir/fhir_sender.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <ctime>

#include "core/export/fhir_bundle.h"
#include "core/log.h"
#include "core/storage/outbox.h"
#include "core/storage/session_store.h"

namespace kiosk::fhir {
namespace {

using nlohmann::json;
constexpr size_t kMaxDetail = 400;  // characters of the server's words kept for staff

std::string shortened(std::string text) {
  if (text.size() > kMaxDetail) text = text.substr(0, kMaxDetail - 3) + "...";
  return text;
}

// The issues of an OperationOutcome in a line: "error invalid: diagnostics (Observation.status); ...".
std::string outcome_text(const json& oo) {
  std::string out;
  for (const auto& issue : oo.value("issue", json::array())) {
    if (!issue.is_object()) continue;
    std::string words = issue.value("diagnostics", std::string());
    if (words.empty() && issue.contains("details") && issue["details"].is_object())
      words = issue["details"].value("text", std::string());
    std::string where;
    if (issue.contains("expression") && issue["expression"].is_array() && !issue["expression"].empty() &&
        issue["expression"][0].is_string())
      where = " (" + issue["expression"][0].get<std::string>() + ")";
    if (!out.empty()) out += "; ";
    out += fmt::format("{} {}: {}{}", issue.value("severity", std::string("error")),
                       issue.value("code", std::string("?")), words, where);
  }
  return out;
}

bool is_outcome(const json& body) {
  return body.is_object() && body.value("resourceType", std::string()) == "OperationOutcome";
}

}  // namespace

std::vector<json> transaction_parts(const json& bundle, int max_entries) {
  const auto& entries = bundle.value("entry", json::array());
  std::vector<json> parts;
  for (size_t i = 0; i < entries.size(); i += static_cast<size_t>(max_entries)) {
    json part{{"resourceType", "Bundle"}, {"type", "transaction"}, {"entry", json::array()}};
    for (size_t j = i; j < std::min(entries.size(), i + static_cast<size_t>(max_entries)); ++j)
      part["entry"].push_back(entries[j]);
    parts.push_back(std::move(part));
  }
  return parts;
}

Verdict classify(const HttpResponse& r, std::string& detail) {
  if (!r.transport_error.empty()) {
    detail = r.transport_error;
    return Verdict::retry;
  }
  const auto body = json::parse(r.body, nullptr, false);
  const std::string words = is_outcome(body) ? ": " + outcome_text(body) : "";
  if (r.status == 200 || r.status == 201) {
    if (!body.is_object() || body.value("type", std::string()) != "transaction-response") {
      detail = fmt::format("HTTP {} but not a transaction-response Bundle", r.status);
      return Verdict::retry;
    }
    for (const auto& e : body.value("entry", json::array())) {
      const auto status =
          e.contains("response") && e["response"].is_object() ? e["response"].value("status", std::string()) : "";
      if (status.empty() || status[0] != '2') {
        detail = fmt::format("an entry came back {}", status.empty() ? "without a status" : status);
        return Verdict::retry;
      }
    }
    detail.clear();
    return Verdict::sent;
  }
  detail = shortened(fmt::format("HTTP {}{}", r.status, words));
  if (r.status == 401 || r.status == 403) return Verdict::auth;
  if (r.status >= 500 || r.status == 408 || r.status == 429) return Verdict::retry;
  if (r.status >= 400 && r.status < 500 && is_outcome(body)) return Verdict::park;
  detail += " (no OperationOutcome: is fhir.base_url the server's FHIR base?)";
  return Verdict::retry;
}

std::chrono::milliseconds backoff_delay(const FhirConfig& fhir, int attempts, std::mt19937_64& random) {
  const double doubled = fhir.backoff_first_s * std::pow(2.0, std::clamp(attempts - 1, 0, 40));
  const double capped = std::min(doubled, fhir.backoff_max_s);
  const double jittered = capped * std::uniform_real_distribution<double>(0.5, 1.0)(random);
  return std::chrono::milliseconds(static_cast<long long>(jittered * 1000));
}

FhirSender::FhirSender(storage::Database& db, const Config& config, const std::filesystem::path& data_dir,
                       const std::atomic<bool>* cancel, records_export::QuestionnaireDefs questionnaires)
    : db_(db),
      config_(config),
      questionnaires_(std::move(questionnaires)),
      http_({config.fhir.ca_bundle, std::chrono::seconds(config.fhir.connect_timeout_s),
             std::chrono::seconds(config.fhir.request_timeout_s), cancel}),
      auth_(config.fhir, data_dir),
      cancel_(cancel),
      random_(std::random_device{}()) {}

SendResult FhirSender::send(std::int64_t session_id, SystemClock::time_point now) {
  storage::Outbox outbox(db_);
  storage::SessionStore store(db_, config_);
  const auto item = outbox.find(session_id);
  if (!item || item->state != "pending") return {Verdict::sent, "not pending"};
  const auto bundle = records_export::fhir_transaction(store, session_id, records_export::visit_code_use(config_.fhir),
                                                       questionnaires_);
  if (!bundle) return {Verdict::sent, "session gone"};  // deleted with its outbox row (cascade)

  SendResult result;
  std::string error;
  const auto authorization = auth_.header(http_, now, error);
  if (!authorization) {
    result = {Verdict::auth, error};
  } else {
    std::vector<std::string> headers{"Content-Type: application/fhir+json", "Accept: application/fhir+json"};
    if (!authorization->empty()) headers.push_back(*authorization);
    // Part after part; a part sent before is harmless to send again (conditional creates).
    for (const auto& part : transaction_parts(*bundle, config_.fhir.bundle_max_entries)) {
      const auto response = http_.post(config_.fhir.base_url, headers, part.dump());
      result.verdict = classify(response, result.detail);
      if (result.verdict != Verdict::sent) break;
    }
    if (result.verdict == Verdict::auth) auth_.forget_token();
  }
  if (cancel_ && *cancel_) return {Verdict::retry, "cancelled"};  // stopping: not an attempt, nothing written
  auto logger = log::get("fhir");
  switch (result.verdict) {
    case Verdict::sent:
      outbox.mark_sent(session_id, now);
      logger->info("session sent id={} attempts={}", session_id, item->attempts + 1);
      break;
    case Verdict::park:
      outbox.park(session_id, result.detail, now);
      break;
    case Verdict::retry:
    case Verdict::auth: {
      const auto wait = backoff_delay(config_.fhir, item->attempts + 1, random_);
      outbox.mark_failed(session_id, result.detail, now, now + wait);
      logger->warn("session not sent id={} attempts={} retry_in_s={:.1f} why=\"{}\"", session_id, item->attempts + 1,
                   wait.count() / 1000.0, result.detail);
      break;
    }
  }
  return result;
}

PushReport FhirSender::push(const std::atomic<bool>* stop) {
  PushReport report;
  storage::Outbox outbox(db_);
  if (enabled()) {
    // Each send moves its item out of "pending" unless it failed, which ends the push.
    for (;;) {
      const auto ids = outbox.due(std::nullopt, 1);
      if (ids.empty() || (stop && *stop)) break;
      const auto r = send(ids.front(), SystemClock::now());
      if (r.verdict == Verdict::sent) ++report.sent;
      if (r.verdict == Verdict::park) ++report.parked;
      if (r.verdict == Verdict::retry || r.verdict == Verdict::auth) {
        ++report.failed;
        report.stopped_by = r.detail;
        break;
      }
    }
  }
  const auto s = outbox.summary();
  report.left = s.pending + s.parked;
  return report;
}

SenderThread::SenderThread(std::filesystem::path db_file, Config config, std::filesystem::path data_dir,
                           records_export::QuestionnaireDefs questionnaires)
    : db_file_(std::move(db_file)),
      data_dir_(std::move(data_dir)),
      config_(std::move(config)),
      questionnaires_(std::move(questionnaires)),
      thread_([this] { run(); }) {}

SenderThread::~SenderThread() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void SenderThread::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

void SenderThread::wait_until(SystemClock::time_point when) {
  timespec cpu{};
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu) == 0) cpu_ns_ = cpu.tv_sec * 1000000000LL + cpu.tv_nsec;
  std::unique_lock lock(mutex_);
  cv_.wait_until(lock, when, [this] { return stop_ || woken_; });
  woken_ = false;
}

void SenderThread::run() {
  auto logger = log::get("fhir");
  if (config_.fhir.base_url.empty()) {
    logger->info("sender idle: fhir.base_url is empty (sessions stay queued)");
    return;
  }
  std::mt19937_64 random(std::random_device{}());
  int failures_in_a_row = 0;  // the server's own backoff, on top of each item's
  while (!stop_) {
    try {
      auto db = storage::Database::open(db_file_);
      FhirSender sender(db, config_, data_dir_, &stop_, questionnaires_);
      storage::Outbox outbox(db);
      logger->info("sender started base_url={} auth={}", config_.fhir.base_url, config_.fhir.auth);
      while (!stop_) {
        const auto now = SystemClock::now();
        const auto due = outbox.due(now, 1);
        if (due.empty()) {
          const auto next = outbox.next_due();
          wait_until(std::min(next.value_or(now + std::chrono::minutes(5)), now + std::chrono::minutes(5)));
          continue;
        }
        const auto r = sender.send(due.front(), now);
        if (stop_) break;  // a cancelled request is not the server's failure
        timespec cpu{};
        if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu) == 0) cpu_ns_ = cpu.tv_sec * 1000000000LL + cpu.tv_nsec;
        if (r.verdict == Verdict::retry || r.verdict == Verdict::auth) {
          wait_until(SystemClock::now() + backoff_delay(config_.fhir, ++failures_in_a_row, random));
        } else {
          failures_in_a_row = 0;
        }
      }
    } catch (const std::exception& e) {
      logger->error("sender: {}; starting again in a minute", e.what());
      wait_until(SystemClock::now() + std::chrono::minutes(1));
    }
  }
  logger->info("sender stopped");
}

}  // namespace kiosk::fhir
