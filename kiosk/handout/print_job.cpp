#include "handout/print_job.h"

#include <cups/cups.h>
#include <fmt/format.h>

#include <ctime>
#include <vector>

#include "core/log.h"

namespace kiosk::handout {
namespace {

constexpr int kConnectTimeoutMs = 3000;
constexpr auto kPollEvery = std::chrono::milliseconds(150);
constexpr auto kOfflineAfter = std::chrono::milliseconds(1500);  // unanswered polls in a row

bool is_uri(const std::string& s) {
  return s.rfind("ipp://", 0) == 0 || s.rfind("ipps://", 0) == 0 || s.rfind("http://", 0) == 0 ||
         s.rfind("https://", 0) == 0;
}

std::vector<std::string> keywords(ipp_t* response, const char* name) {
  std::vector<std::string> out;
  if (ipp_attribute_t* a = response ? ippFindAttribute(response, name, IPP_TAG_KEYWORD) : nullptr)
    for (int i = 0; i < ippGetCount(a); ++i) out.emplace_back(ippGetString(a, i, nullptr));
  return out;
}

int integer(ipp_t* response, const char* name, ipp_tag_t tag, int fallback) {
  ipp_attribute_t* a = response ? ippFindAttribute(response, name, tag) : nullptr;
  return a ? ippGetInteger(a, 0) : fallback;
}

// An open IPP connection to one printer.
struct Printer {
  std::string uri, resource;
  http_t* http = nullptr;
  ~Printer() {
    if (http) httpClose(http);
  }

  ipp_t* request(ipp_op_t op) const {
    ipp_t* r = ippNewRequest(op);
    ippAddString(r, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri.c_str());
    ippAddString(r, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr, "kiosk");
    return r;
  }
  // Sends `r` (consumed); nullptr when the printer did not answer or refused.
  ipp_t* send(ipp_t* r, const char* file = nullptr) const {
    ipp_t* resp = file ? cupsDoFileRequest(http, r, resource.c_str(), file) : cupsDoRequest(http, r, resource.c_str());
    if (resp && cupsLastError() > IPP_STATUS_OK_CONFLICTING) {
      ippDelete(resp);
      return nullptr;
    }
    return resp;
  }
};

std::filesystem::path keep_copy(const PrintRequest& r) {
  std::error_code ec;
  std::filesystem::create_directories(r.keep_dir, ec);
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
  auto target = r.keep_dir / fmt::format("{}-{}.pdf", r.job_name, stamp);
  for (int n = 2; std::filesystem::exists(target, ec); ++n)
    target = r.keep_dir / fmt::format("{}-{}-{}.pdf", r.job_name, stamp, n);
  std::filesystem::copy_file(r.pdf, target, ec);
  if (ec) {
    log::get("handout")->error("could not keep {} in {}: {}", r.pdf.string(), r.keep_dir.string(), ec.message());
    return {};
  }
  return target;
}

}  // namespace

std::string_view to_string(PrintState s) {
  switch (s) {
    case PrintState::queued:
      return "queued";
    case PrintState::printing:
      return "printing";
    case PrintState::done:
      return "done";
    case PrintState::failed:
      return "failed";
  }
  return "failed";
}

std::string_view to_string(PrintFailure f) {
  switch (f) {
    case PrintFailure::none:
      return "none";
    case PrintFailure::offline:
      return "offline";
    case PrintFailure::out_of_paper:
      return "out_of_paper";
    case PrintFailure::rejected:
      return "rejected";
  }
  return "rejected";
}

PrintFailure failure_from_reasons(const std::vector<std::string>& reasons) {
  for (const auto& r : reasons)
    if (r.rfind("media-empty", 0) == 0 || r.rfind("media-needed", 0) == 0 || r.rfind("input-tray-missing", 0) == 0)
      return PrintFailure::out_of_paper;
  for (const auto& r : reasons)
    if (r.rfind("offline", 0) == 0 || r.rfind("shutdown", 0) == 0 || r.rfind("connecting-to-device", 0) == 0 ||
        r.rfind("printer-stopped", 0) == 0 || r.rfind("paused", 0) == 0)
      return PrintFailure::offline;
  return PrintFailure::none;
}

std::unique_ptr<PrintJob> PrintJob::start(PrintRequest request) {
  std::unique_ptr<PrintJob> job(new PrintJob(std::move(request)));
  job->worker_ = std::thread([j = job.get()] { j->run(); });
  return job;
}

PrintJob::PrintJob(PrintRequest request) : request_(std::move(request)) { status_.patient_text_key = "print.queued"; }

PrintJob::~PrintJob() {
  cancel_ = true;
  if (worker_.joinable()) worker_.join();
}

PrintProgress PrintJob::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

PrintProgress PrintJob::wait() const {
  for (;;) {
    auto s = status();
    if (s.finished()) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void PrintJob::set(PrintProgress s) {
  std::lock_guard lock(mutex_);
  s.job_id = s.job_id ? s.job_id : status_.job_id;
  status_ = std::move(s);
}

void PrintJob::fail(PrintFailure why, std::string detail) {
  PrintProgress s;
  s.state = PrintState::failed;
  s.failure = why;
  s.patient_text_key = fmt::format("print.failed_{}", to_string(why));
  s.detail = std::move(detail);
  s.saved_to = keep_copy(request_);
  log::get("handout")->warn("print failed ({}): {}; PDF kept at {}", to_string(why), s.detail, s.saved_to.string());
  set(std::move(s));
}

void PrintJob::run() {
  const auto& r = request_;
  if (r.printer.empty()) {  // demo mode: no printer configured
    PrintProgress s;
    s.state = PrintState::done;
    s.patient_text_key = "print.saved";
    s.saved_to = keep_copy(r);
    s.detail = "no printer configured: PDF saved";
    set(std::move(s));
    return;
  }
  Printer p;
  char scheme[32], user[256], host[256], resource[1024];
  int port = 0;
  if (is_uri(r.printer)) {
    p.uri = r.printer;
    if (httpSeparateURI(HTTP_URI_CODING_ALL, p.uri.c_str(), scheme, sizeof scheme, user, sizeof user, host, sizeof host,
                        &port, resource, sizeof resource) < HTTP_URI_STATUS_OK)
      return fail(PrintFailure::rejected, fmt::format("{}: not a printer URI", r.printer));
    p.resource = resource;
  } else {  // a CUPS queue on this machine's (or the configured) CUPS server
    p.uri = fmt::format("ipp://localhost/printers/{}", r.printer);
    p.resource = fmt::format("/printers/{}", r.printer);
    std::snprintf(host, sizeof host, "%s", cupsServer());
    std::snprintf(scheme, sizeof scheme, "ipp");
    port = ippPort();
  }
  int cancel_flag = 0;
  p.http = httpConnect2(host, port, nullptr, AF_UNSPEC,
                        std::string_view(scheme) == "ipps" ? HTTP_ENCRYPTION_ALWAYS : HTTP_ENCRYPTION_IF_REQUESTED, 1,
                        kConnectTimeoutMs, &cancel_flag);
  if (!p.http) return fail(PrintFailure::offline, fmt::format("{}: no answer ({})", p.uri, cupsLastErrorString()));
  httpSetTimeout(p.http, 5.0, nullptr, nullptr);

  // Before sending: is it there, taking jobs, with paper?
  ipp_t* info = p.request(IPP_OP_GET_PRINTER_ATTRIBUTES);
  static const char* const wanted[] = {"printer-state", "printer-state-reasons", "printer-is-accepting-jobs"};
  ippAddStrings(info, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 3, nullptr, wanted);
  ipp_t* state = p.send(info);
  if (!state) return fail(PrintFailure::offline, fmt::format("{}: {}", p.uri, cupsLastErrorString()));
  const auto reasons = keywords(state, "printer-state-reasons");
  const bool accepting = !ippFindAttribute(state, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN) ||
                         ippGetBoolean(ippFindAttribute(state, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN), 0);
  const int printer_state = integer(state, "printer-state", IPP_TAG_ENUM, IPP_PSTATE_IDLE);
  ippDelete(state);
  if (auto why = failure_from_reasons(reasons); why != PrintFailure::none)
    return fail(why, fmt::format("{}: printer says {}", p.uri, fmt::join(reasons, ",")));
  if (printer_state == IPP_PSTATE_STOPPED)
    return fail(PrintFailure::offline, fmt::format("{}: printer stopped", p.uri));
  if (!accepting) return fail(PrintFailure::rejected, fmt::format("{}: not accepting jobs", p.uri));

  ipp_t* submit = p.request(IPP_OP_PRINT_JOB);
  ippAddString(submit, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", nullptr, r.job_name.c_str());
  ippAddString(submit, IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", nullptr, "application/pdf");
  ipp_t* accepted = p.send(submit, r.pdf.c_str());
  if (!accepted) {
    const ipp_status_t why = cupsLastError();
    const bool offline = why == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE || why == IPP_STATUS_ERROR_INTERNAL ||
                         why == IPP_STATUS_ERROR_DEVICE;
    return fail(offline ? PrintFailure::offline : PrintFailure::rejected,
                fmt::format("{}: {} ({})", p.uri, ippErrorString(why), cupsLastErrorString()));
  }
  PrintProgress queued;
  queued.job_id = integer(accepted, "job-id", IPP_TAG_INTEGER, 0);
  queued.patient_text_key = "print.queued";
  ippDelete(accepted);
  set(queued);
  log::get("handout")->info("print job {} accepted by {}", queued.job_id, p.uri);

  const auto deadline = std::chrono::steady_clock::now() + r.timeout;
  auto last_answer = std::chrono::steady_clock::now();
  while (!cancel_) {
    std::this_thread::sleep_for(kPollEvery);
    const auto now = std::chrono::steady_clock::now();
    if (now > deadline)
      return fail(PrintFailure::offline, fmt::format("{}: job {} not done in time", p.uri, queued.job_id));
    ipp_t* ask = p.request(IPP_OP_GET_JOB_ATTRIBUTES);
    ippAddInteger(ask, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", queued.job_id);
    ipp_t* job = p.send(ask);
    if (!job) {
      if (now - last_answer > kOfflineAfter)
        return fail(PrintFailure::offline, fmt::format("{}: stopped answering during job {}", p.uri, queued.job_id));
      httpReconnect2(p.http, kConnectTimeoutMs / 6, &cancel_flag);
      continue;
    }
    last_answer = now;
    const int js = integer(job, "job-state", IPP_TAG_ENUM, IPP_JSTATE_PENDING);
    auto why = keywords(job, "job-state-reasons");
    ippDelete(job);
    if (js == IPP_JSTATE_COMPLETED) {
      PrintProgress done;
      done.state = PrintState::done;
      done.patient_text_key = "print.done";
      set(done);
      return;
    }
    if (js == IPP_JSTATE_ABORTED || js == IPP_JSTATE_CANCELED) {
      const auto f = failure_from_reasons(why);
      return fail(f == PrintFailure::none ? PrintFailure::rejected : f,
                  fmt::format("{}: job {} ended: {}", p.uri, queued.job_id, fmt::join(why, ",")));
    }
    if (const auto f = failure_from_reasons(why); f == PrintFailure::out_of_paper) {
      ipp_t* stop = p.request(IPP_OP_CANCEL_JOB);
      ippAddInteger(stop, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", queued.job_id);
      ippDelete(p.send(stop));  // no reprint behind staff's back once paper is back
      return fail(f, fmt::format("{}: job {}: {}", p.uri, queued.job_id, fmt::join(why, ",")));
    }
    PrintProgress s;
    s.state = js == IPP_JSTATE_PROCESSING ? PrintState::printing : PrintState::queued;
    s.patient_text_key = js == IPP_JSTATE_PROCESSING ? "print.printing" : "print.queued";
    set(s);
  }
}

}  // namespace kiosk::handout
