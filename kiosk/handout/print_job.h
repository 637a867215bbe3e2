// Printing a handout PDF through libcups, to a CUPS queue name or straight to
// an IPP URI (ipp://host:port/ipp/print), with status the kiosk UI can show.
//
// Threads: start() returns at once; one worker thread talks IPP (submit,
// then Get-Job-Attributes every 150 ms). status() is safe from any thread
// (the UI thread polls it each frame); the destructor cancels and joins.
// On failure the PDF is kept in `keep_dir` for a staff reprint and the
// status says where. With no printer (demo mode) the PDF is saved there and
// the job ends as `done` with `saved_to` set.
#pragma once
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kiosk::handout {

enum class PrintState { queued, printing, done, failed };
enum class PrintFailure { none, offline, out_of_paper, rejected };

// A job's progress while it runs (the UI polls it each frame). The session's
// record keeps only storage::PrintStatus, mapped by handout::record_status().
struct PrintProgress {
  PrintState state = PrintState::queued;
  PrintFailure failure = PrintFailure::none;
  std::string patient_text_key;    // "print.queued" ... in assets/handout/<lang>.toml (calm words)
  std::string detail;              // for staff and logs: what the printer said
  std::filesystem::path saved_to;  // where the PDF was kept (failure or demo mode), else empty
  int job_id = 0;                  // the printer's job id once accepted
  bool finished() const { return state == PrintState::done || state == PrintState::failed; }
};

std::string_view to_string(PrintState s);
std::string_view to_string(PrintFailure f);

struct PrintRequest {
  std::filesystem::path pdf;       // the handout; read, never changed
  std::string printer;             // config printing.printer: CUPS queue or ipp(s):// URI; empty → demo
  std::filesystem::path keep_dir;  // e.g. <data dir>/handouts: kept PDFs land here
  std::string job_name = "heel-handout";
  std::chrono::milliseconds timeout{60000};  // whole job, from submit to done
};

class PrintJob {
 public:
  static std::unique_ptr<PrintJob> start(PrintRequest request);
  ~PrintJob();
  PrintJob(const PrintJob&) = delete;
  PrintJob& operator=(const PrintJob&) = delete;

  PrintProgress status() const;  // a snapshot; any thread
  // Blocks until finished (kioskctl and tests); the UI polls status() instead.
  PrintProgress wait() const;

 private:
  explicit PrintJob(PrintRequest request);
  void run();
  void set(PrintProgress s);
  void fail(PrintFailure why, std::string detail);

  PrintRequest request_;
  mutable std::mutex mutex_;
  PrintProgress status_;
  std::atomic<bool> cancel_{false};
  std::thread worker_;
};

// What a finished or stopped job means for the patient, from IPP's words:
// printer-state-reasons and job-state-reasons keywords (e.g. "media-empty").
PrintFailure failure_from_reasons(const std::vector<std::string>& reasons);

}  // namespace kiosk::handout
