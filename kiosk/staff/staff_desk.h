// The model behind the staff screens, headless like the journey: the PIN
// pad in front (StaffGate), then the clinician's page (today's sessions,
// reprint, scripts with their errors, tests on/off, reload) and the
// technician's page (plates and their state, a live raw view, a printer
// test page, the log's tail). The clinician's and technician's pages open
// only from the attract screen, so no patient's session is under them; the
// one page opened over a patient is the red-flag override (PIN, then a
// reason from a short list). Every staff action is audited. Thread: main
// (UI) thread; time is passed in.
#pragma once
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/storage/database.h"
#include "handout/print_job.h"
#include "plates/calibration_wizard.h"
#include "plates/device_manager.h"
#include "plates/plate_calibration.h"
#include "script/catalogue.h"
#include "staff/raw_watch.h"
#include "staff/staff_gate.h"

namespace kiosk::staff {

enum class Page { closed, pin, clinician, technician, override_flag };

// One stored session of today, as the clinician's list shows it.
struct SessionRow {
  std::int64_t id = 0;
  std::string ended_at;  // UTC, ISO 8601
  std::string visit_code, outcome, print_status, print_detail;
  int tests = 0;
  bool has_handout = false;  // a PDF is kept: it can be reprinted
};

// The outbox to the clinic's FHIR server, as the clinician's page shows it.
struct OutboxView {
  bool server_configured = false;  // fhir.base_url is set
  std::int64_t pending = 0, parked = 0, sent = 0;
  std::string last_error, last_error_at;  // the sender's last failure (empty after a success)
  std::string last_sent_at, next_attempt_at;
  struct Parked {
    std::int64_t session_id = 0;
    int attempts = 0;
    std::string reason;  // the server's OperationOutcome, in its words
  };
  std::vector<Parked> parked_items;  // newest first, at most 20
};

// One charted measure across a visit code's stored visits, for the
// clinician's per-visit chart (oldest visit first).
struct VisitSeries {
  std::string test, title, unit;        // title and unit in English, from the script's chart
  double scale_min = 0, scale_max = 1;  // the declared scale, widened to hold every value
  struct Point {
    std::string date;  // YYYY-MM-DD (UTC), when the visit ended
    std::optional<double> left, right;
  };
  std::vector<Point> points;
};

struct ScriptRow {
  std::string id, title, kind, version, file;
  std::vector<std::string> problems;  // "file:line: message"; empty when valid
  bool switched_off = false;
};

struct PlateRow {
  std::string id, serial, model, plugin;
  bool present = false;
  calibration::PlateStatus calibration;  // usable() or why patients cannot use it (reason)
  bool calibrated_before = false;        // an accepted calibration exists: a daily check is possible
  std::optional<int> battery_percent;    // wireless plates ("kiosk.plate.battery/1")
  bool away = false;                     // a wireless plate asleep or out of reach (not unplugged)
};

class StaffDesk {
 public:
  using Clock = std::chrono::steady_clock;
  using Audit = std::function<void(storage::AuditKind kind, std::string_view event, const std::string& detail)>;

  struct Parts {
    StaffGate& gate;
    script::Catalogue& catalogue;
    const Config& config;
    const plates::DeviceManager* devices = nullptr;     // none: no plate rows
    plates::PlateCalibrations* calibrations = nullptr;  // none: no calibration from the screen
    std::filesystem::path marks_file;                   // the calibration marks (calibration.marks_file)
    storage::Database* db = nullptr;                    // none: no session list, no reprint
    std::filesystem::path data_dir;                     // switched-off tests file, print spool
    std::filesystem::path log_file;                     // the kiosk's log, for its tail
    Audit audit;
  };
  explicit StaffDesk(Parts parts);
  ~StaffDesk();

  // ---- the way in ----
  Page page() const { return page_; }
  bool is_open() const { return page_ != Page::closed; }
  void open_pin_pad(Clock::time_point now);
  // Takes a PIN from the pad: opens the clinician page, or says why not.
  StaffGate::Result enter_pin(const std::string& pin, Clock::time_point now);
  std::optional<std::chrono::seconds> locked_for(Clock::time_point now) const { return parts_.gate.locked_for(now); }
  bool pin_configured() const { return parts_.gate.configured(); }
  int tries_left() const { return parts_.gate.tries_left(); }
  void show(Page page);  // clinician ↔ technician once open
  void close(std::string_view why = "closed");
  void touch(Clock::time_point now);  // staff input keeps the session open
  void tick(Clock::time_point now);   // idle close, live view, print job

  // ---- a patient's red flag (the speak-to-the-team screen's staff button) ----
  // The PIN pad, then the override page for `flag` (what raised it, for staff).
  void open_for_override(std::string flag, Clock::time_point now);
  const std::string& override_flag() const { return override_flag_; }
  // Staff let the patient go on, for a reason from safety::override_reasons():
  // audited; the shell hands it to the journey with take_override(). False: not a listed reason.
  bool choose_override(const std::string& reason);
  std::optional<std::string> take_override();

  // ---- clinician ----
  const std::vector<SessionRow>& today() const { return today_; }
  void refresh_today();
  // Prints a stored session's handout again. False (and problem()) when it has none.
  bool reprint(std::int64_t session_id);
  // The FHIR outbox: read when the page opens and every 2 s while it is open.
  const OutboxView& outbox() const { return outbox_; }
  void refresh_outbox();
  // A parked session back to the queue / never sent (audited as the staff's).
  bool retry_sending(std::int64_t session_id);
  bool drop_sending(std::int64_t session_id);
  // A visit code's stored visits within retention, one series per charted
  // measure (audited: staff looked at that code's history). False, with
  // problem(), for a malformed code or no database; false off the clinician's
  // page. Forgotten when the staff session closes.
  bool show_visit_history(const std::string& visit_code);
  const std::string& history_code() const { return history_code_; }
  const std::vector<VisitSeries>& history() const { return history_; }
  std::vector<ScriptRow> scripts() const;
  bool switch_test(const std::string& id, bool off);  // persisted; false for screening/profile
  void reload_scripts();

  // ---- technician ----
  std::vector<PlateRow> plates() const;
  void watch(const std::string& device_id);  // live raw view; "" stops it
  const RawWatch* watching() const { return watch_.get(); }
  // Starts the calibration wizard (or, check = true, the daily spot check) on a
  // present plate with calibration.mass_kg; problem() says why it could not.
  bool start_calibration(const std::string& device_id, bool check);
  plates::CalibrationWizard* wizard() { return wizard_.get(); }
  // Stores the wizard's run (accepted, rejected or refused), refreshes the
  // plates' statuses, and (closing) leaves the wizard.
  void finish_calibration(bool store, bool closing);
  // Why patients cannot start a session now (the safety screen is missing or broken), for the banner.
  std::string safety_problem() const { return parts_.catalogue.screening_problem(); }
  // Present plates patients cannot use, "id: reason" (the staff banner).
  std::vector<std::string> plate_problems() const;
  // Plate plugins whose host failed (restarting) or is quarantined: why, and its last log lines.
  std::vector<plates::PluginStatus> plugin_problems() const;
  // Lifts a plugin's quarantine and starts it again (audited). problem() says why not.
  bool reenable_plugin(const std::string& plugin_id);
  void note_volume(int percent);  // the sound volume was changed on the staff screen (audited)
  void print_test_page(const std::vector<std::string>& lines);  // lines: staff words, from the text assets
  // The log's last 40 lines, re-read at most once a second while the technician page is open.
  const std::vector<std::string>& log_tail() const { return log_tail_; }

  // ---- shared ----
  std::optional<handout::PrintProgress> print_progress() const;
  const std::string& print_what() const { return print_what_; }  // "reprint 12", "test page"
  const std::string& problem() const { return problem_; }        // the last action's failure, for staff

 private:
  void start_print(const std::filesystem::path& pdf, std::string what);
  void audit(storage::AuditKind kind, std::string_view event, const std::string& detail) const;

  Parts parts_;
  Page page_ = Page::closed;
  std::vector<SessionRow> today_;
  std::string history_code_;
  std::vector<VisitSeries> history_;
  OutboxView outbox_;
  std::optional<Clock::time_point> outbox_read_at_;
  std::unique_ptr<RawWatch> watch_;
  std::unique_ptr<plates::CalibrationWizard> wizard_;
  bool wizard_stored_ = false;
  std::unique_ptr<handout::PrintJob> job_;
  std::string print_what_, problem_;
  bool print_audited_ = false;  // the job's end is in the audit log
  std::vector<std::string> log_tail_;
  std::optional<Clock::time_point> log_read_at_;
  std::string override_flag_;  // set while the override page is asked for
  std::optional<std::string> override_chosen_;
};

// Up to `lines` last lines of a text file (reads at most its last 256 kB).
std::vector<std::string> tail_lines(const std::filesystem::path& file, std::size_t lines);

}  // namespace kiosk::staff
