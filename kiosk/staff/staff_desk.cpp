#include "staff/staff_desk.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <fstream>

#include "core/calibration/positions_file.h"
#include "core/log.h"
#include "core/safety/session_safety.h"
#include "core/storage/calibration_store.h"
#include "core/storage/outbox.h"
#include "core/storage/session_store.h"
#include "handout/chart_rows.h"
#include "handout/test_page.h"
#include "kiosk_plate_battery.h"
#include "staff/switched_off_tests.h"

namespace kiosk::staff {
namespace {

std::filesystem::path switches_file(const std::filesystem::path& data_dir) {
  return data_dir / "switched-off-tests.txt";
}

// Midnight today in local time, as the clinic's day starts.
kiosk::WallClock::time_point local_midnight() {
  const std::time_t now = std::time(nullptr);
  std::tm day{};
  localtime_r(&now, &day);
  day.tm_hour = day.tm_min = day.tm_sec = 0;
  return kiosk::WallClock::from_time_t(std::mktime(&day));
}

}  // namespace

StaffDesk::StaffDesk(Parts parts) : parts_(std::move(parts)) {
  for (const auto& id : load_switched_off(switches_file(parts_.data_dir)))
    if (!parts_.catalogue.switch_off(id, true)) log::get("staff")->warn("switched-off test {} is not a known test", id);
}

StaffDesk::~StaffDesk() = default;

void StaffDesk::audit(storage::AuditKind kind, std::string_view event, const std::string& detail) const {
  if (parts_.audit) parts_.audit(kind, event, detail);
}

void StaffDesk::open_pin_pad(Clock::time_point now) {
  override_flag_.clear();
  if (parts_.gate.is_open(now))
    page_ = Page::clinician;
  else
    page_ = Page::pin;
  problem_.clear();
}

void StaffDesk::open_for_override(std::string flag, Clock::time_point now) {
  override_flag_ = std::move(flag);
  override_chosen_.reset();
  page_ = parts_.gate.is_open(now) ? Page::override_flag : Page::pin;
  problem_.clear();
}

StaffGate::Result StaffDesk::enter_pin(const std::string& pin, Clock::time_point now) {
  const auto result = parts_.gate.try_pin(pin, now);
  if (result == StaffGate::Result::opened) {
    if (!override_flag_.empty()) {
      page_ = Page::override_flag;
    } else {
      page_ = Page::clinician;
      refresh_today();
    }
  }
  return result;
}

bool StaffDesk::choose_override(const std::string& reason) {
  const auto& known = safety::override_reasons();
  if (page_ != Page::override_flag || std::find(known.begin(), known.end(), reason) == known.end()) return false;
  audit(storage::AuditKind::staff, "red_flag_overridden", fmt::format("flag={} reason={}", override_flag_, reason));
  override_chosen_ = reason;
  close("red flag overridden");
  return true;
}

std::optional<std::string> StaffDesk::take_override() {
  auto out = std::move(override_chosen_);
  override_chosen_.reset();
  return out;
}

void StaffDesk::show(Page page) {
  if (page_ == Page::closed || page_ == Page::pin || page_ == Page::override_flag || page == Page::closed ||
      page == Page::pin || page == Page::override_flag)
    return;
  if (page != Page::technician) watch({});
  page_ = page;
}

void StaffDesk::close(std::string_view why) {
  if (page_ == Page::closed) return;
  watch({});
  if (wizard_ && !wizard_->finished()) wizard_->cancel();
  finish_calibration(wizard_ && wizard_->finished(), true);  // a run cut short is kept, as refused
  if (page_ != Page::pin) parts_.gate.close(why);
  page_ = Page::closed;
  override_flag_.clear();
  today_.clear();  // sessions leave memory with the staff member
  history_code_.clear();
  history_.clear();
  outbox_ = {};
  problem_.clear();
}

void StaffDesk::touch(Clock::time_point now) {
  if (page_ == Page::clinician || page_ == Page::technician || page_ == Page::override_flag) parts_.gate.touch(now);
}

void StaffDesk::tick(Clock::time_point now) {
  if ((page_ == Page::clinician || page_ == Page::technician || page_ == Page::override_flag) &&
      !parts_.gate.is_open(now)) {
    log::get("staff")->info("staff session closed after no touch");
    close("idle");
    return;
  }
  if (watch_) watch_->poll();
  if (wizard_) wizard_->pump();
  if (page_ == Page::clinician && (!outbox_read_at_ || now - *outbox_read_at_ >= std::chrono::seconds(2))) {
    refresh_outbox();  // the sender works on its own thread: its progress shows within 2 s
    outbox_read_at_ = now;
  }
  if (page_ == Page::technician && (!log_read_at_ || now - *log_read_at_ >= std::chrono::seconds(1))) {
    log_tail_ = tail_lines(parts_.log_file, 40);  // not every frame: the page redraws 30 times a second when live
    log_read_at_ = now;
  }
  if (job_ && !print_audited_ && job_->status().finished()) {
    const auto st = job_->status();
    audit(storage::AuditKind::staff, "staff_print_" + std::string(handout::to_string(st.state)),
          fmt::format("what=\"{}\" detail=\"{}\"", print_what_, st.detail));
    print_audited_ = true;  // once; the status stays on screen
  }
}

void StaffDesk::refresh_outbox() {
  outbox_ = {};
  outbox_.server_configured = !parts_.config.fhir.base_url.empty();
  if (!parts_.db) return;
  try {
    storage::Outbox outbox(*parts_.db);
    const auto s = outbox.summary();
    outbox_.pending = s.pending;
    outbox_.parked = s.parked;
    outbox_.sent = s.sent;
    outbox_.last_error = s.last_error;
    outbox_.last_error_at = s.last_error_at;
    outbox_.last_sent_at = s.last_sent_at;
    outbox_.next_attempt_at = s.next_attempt_at;
    for (const auto& item : outbox.items("parked", 20))
      outbox_.parked_items.push_back({item.session_id, item.attempts, item.last_error});
  } catch (const std::exception& e) {
    problem_ = e.what();
    log::get("staff")->error("the FHIR queue cannot be read: {}", e.what());
  }
}

bool StaffDesk::retry_sending(std::int64_t session_id) {
  problem_.clear();
  if (!parts_.db) return false;
  try {
    const bool done = storage::Outbox(*parts_.db).retry(session_id, "staff") == 1;
    refresh_outbox();
    return done;
  } catch (const std::exception& e) {
    problem_ = e.what();
    return false;
  }
}

bool StaffDesk::drop_sending(std::int64_t session_id) {
  problem_.clear();
  if (!parts_.db) return false;
  try {
    const bool done = storage::Outbox(*parts_.db).drop(session_id, "staff");
    refresh_outbox();
    return done;
  } catch (const std::exception& e) {
    problem_ = e.what();
    return false;
  }
}

void StaffDesk::refresh_today() {
  today_.clear();
  refresh_outbox();
  if (!parts_.db) return;
  try {
    storage::SessionStore store(*parts_.db, parts_.config);
    for (const auto& s : store.sessions_since(local_midnight())) {
      SessionRow row{s.id,
                     s.ended_at,
                     s.visit_code,
                     s.outcome,
                     s.print_status,
                     s.print_detail,
                     static_cast<int>(s.session.tests.size()),
                     s.has_handout};
      today_.push_back(std::move(row));
    }
  } catch (const std::exception& e) {
    problem_ = e.what();
    log::get("staff")->error("today's sessions cannot be read: {}", e.what());
  }
}

namespace {
// The series of `row`'s test in `series`, made on its first visit.
VisitSeries& series_for(std::vector<VisitSeries>& series, const handout::ChartRow& row) {
  for (auto& s : series)
    if (s.test == row.test) return s;
  return series.emplace_back(VisitSeries{row.test, row.title, row.unit, row.scale_min, row.scale_max, {}});
}
}  // namespace

bool StaffDesk::show_visit_history(const std::string& visit_code) {
  problem_.clear();
  history_code_.clear();
  history_.clear();
  if (page_ != Page::clinician) return false;  // only behind the PIN, on the clinician's page
  if (!storage::is_valid_visit_code(visit_code)) {
    problem_ = "not a visit code: 3 to 20 letters, digits or '-', with a digit";
    return false;
  }
  if (!parts_.db) {
    problem_ = "no database: no visit history";
    return false;
  }
  try {
    storage::SessionStore store(*parts_.db, parts_.config);
    const auto charts = parts_.catalogue.charts();
    const auto visits = store.visits_of(visit_code, WallClock::now());
    for (const auto& visit : visits)
      for (const auto& row : handout::chart_rows(visit.session, charts, "en")) {
        auto& s = series_for(history_, row);
        s.scale_min = std::min(s.scale_min, row.scale_min);
        s.scale_max = std::max(s.scale_max, row.scale_max);
        s.points.push_back({visit.ended_at.substr(0, 10), row.left, row.right});
      }
    history_code_ = visit_code;
    audit(storage::AuditKind::staff, "visit_history_viewed",
          fmt::format("visit_code={} visits={}", visit_code, visits.size()));
    return true;
  } catch (const std::exception& e) {
    problem_ = e.what();
    log::get("staff")->error("visit history cannot be read: {}", e.what());
    return false;
  }
}

bool StaffDesk::reprint(std::int64_t session_id) {
  problem_.clear();
  if (!parts_.db) {
    problem_ = "no database: sessions are not kept on this kiosk";
    return false;
  }
  try {
    const auto pdf = storage::SessionStore(*parts_.db, parts_.config).handout_pdf(session_id);
    if (pdf.empty()) {
      problem_ = fmt::format("session {} has no handout kept", session_id);
      return false;
    }
    const auto file = parts_.data_dir / "spool" / fmt::format("reprint-{}.pdf", session_id);
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary)
        .write(reinterpret_cast<const char*>(pdf.data()), static_cast<std::streamsize>(pdf.size()));
    start_print(file, fmt::format("reprint {}", session_id));
    return true;
  } catch (const std::exception& e) {
    problem_ = e.what();
    log::get("staff")->error("reprint of session {} failed: {}", session_id, e.what());
    return false;
  }
}

void StaffDesk::start_print(const std::filesystem::path& pdf, std::string what) {
  handout::PrintRequest request;
  request.pdf = pdf;
  request.printer = parts_.config.printer;
  request.keep_dir = parts_.data_dir / "handouts";
  request.job_name = what;
  job_ = handout::PrintJob::start(request);
  print_what_ = std::move(what);
  print_audited_ = false;
  audit(storage::AuditKind::staff, "staff_print",
        fmt::format("what=\"{}\" printer=\"{}\"", print_what_, parts_.config.printer));
}

std::optional<handout::PrintProgress> StaffDesk::print_progress() const {
  if (!job_) return std::nullopt;
  return job_->status();
}

std::vector<ScriptRow> StaffDesk::scripts() const {
  std::vector<ScriptRow> rows;
  for (const auto& e : parts_.catalogue.entries()) {
    ScriptRow row;
    row.file = e.file.string();
    if (e.info) {
      row.id = e.info->id;
      row.title = e.info->title.in(parts_.config.language);
      row.kind = e.info->kind;
      row.version = e.info->version;
      row.switched_off = parts_.catalogue.is_switched_off(e.info->id);
    } else {
      row.id = e.file.stem().string();
    }
    for (const auto& p : e.problems) row.problems.push_back(p.to_string());
    rows.push_back(std::move(row));
  }
  return rows;
}

bool StaffDesk::switch_test(const std::string& id, bool off) {
  problem_.clear();
  if (!parts_.catalogue.switch_off(id, off)) {
    problem_ = fmt::format("{} cannot be switched off (screening and profile always run)", id);
    return false;
  }
  try {
    save_switched_off(switches_file(parts_.data_dir), parts_.catalogue.switched_off());
  } catch (const std::exception& e) {
    problem_ = fmt::format("switched {} for now, but it will not last a restart: {}", off ? "off" : "on", e.what());
    log::get("staff")->error("{}", problem_);
  }
  audit(storage::AuditKind::script, off ? "test_switched_off" : "test_switched_on", id);
  return true;
}

void StaffDesk::reload_scripts() {
  parts_.catalogue.scan();
  audit(
      storage::AuditKind::script, "scripts_reloaded",
      fmt::format("{} available, {} invalid", parts_.catalogue.available().size(), parts_.catalogue.invalid().size()));
}

std::vector<PlateRow> StaffDesk::plates() const {
  std::vector<PlateRow> rows;
  if (!parts_.devices) return rows;
  for (const auto& d : parts_.devices->devices()) {
    PlateRow row{d.id(),
                 d.info.serial,
                 fmt::format("{} {}", d.info.vendor, d.info.model),
                 d.plugin ? d.plugin->id() : std::string(),
                 d.present,
                 {},
                 false,
                 {},
                 false};
    if (parts_.calibrations)
      row.calibration = parts_.calibrations->status(row.serial);
    else
      row.calibration.reason = "no calibration records on this kiosk";
    row.calibrated_before = row.calibration.calibration.has_value();
    if (const auto* battery =
            d.plugin ? static_cast<const kp_battery_v1*>(d.plugin->plugin->get_extension(KP_EXT_BATTERY_V1))
                     : nullptr) {
      kp_battery_status st{};
      st.struct_size = sizeof st;
      if (battery->get_status(row.id.c_str(), &st) == KP_OK) {
        if (st.percent >= 0) row.battery_percent = st.percent;
        row.away = st.link == KP_LINK_AWAY;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::string> StaffDesk::plate_problems() const {
  if (!parts_.devices || !parts_.calibrations) return {};
  return parts_.calibrations->problems(*parts_.devices);
}

bool StaffDesk::start_calibration(const std::string& device_id, bool check) {
  problem_.clear();
  watch({});  // one stream per plate
  try {
    if (!parts_.devices || !parts_.calibrations) throw std::runtime_error("no plates or no calibration records here");
    const auto* plate = parts_.devices->find(device_id);
    if (!plate || !plate->present) throw std::runtime_error(device_id + " is not connected");
    plates::WizardSetup setup;
    const double mass = parts_.config.calibration_mass_kg;
    if (check) {
      auto status = parts_.calibrations->status(plate->info.serial);
      if (!status.calibration) throw std::runtime_error("calibrate the plate before its daily check");
      setup = plates::check_setup(parts_.config, mass, *status.calibration, "staff screen");
    } else {
      setup = plates::calibration_setup(parts_.config, mass, calibration::load_positions(parts_.marks_file),
                                        "staff screen");
    }
    plates::act_out_on_sim(*plate->plugin, setup);  // demo: the simulated plate plays the technician too
    wizard_ = std::make_unique<plates::CalibrationWizard>(parts_.devices->open(device_id), std::move(setup));
    wizard_stored_ = false;
    audit(storage::AuditKind::calibration, check ? "check_started" : "calibration_started", device_id);
    return true;
  } catch (const std::exception& e) {
    problem_ = e.what();
    log::get("staff")->error("calibration of {} could not start: {}", device_id, e.what());
    return false;
  }
}

void StaffDesk::finish_calibration(bool store, bool closing) {
  if (!wizard_) return;
  if (store && !wizard_stored_ && parts_.db) {
    try {
      auto record = wizard_->record();
      storage::CalibrationStore(*parts_.db).save(record, "staff screen");
      wizard_stored_ = true;
    } catch (const std::exception& e) {
      problem_ = std::string("the calibration was not stored: ") + e.what();
      log::get("staff")->error("{}", problem_);
    }
  }
  if (parts_.calibrations) parts_.calibrations->refresh();
  if (closing) wizard_.reset();
}

void StaffDesk::watch(const std::string& device_id) {
  watch_.reset();
  if (device_id.empty() || !parts_.devices) return;
  watch_ = std::make_unique<RawWatch>(*parts_.devices, device_id);
  audit(storage::AuditKind::device, "raw_view", device_id);
}

std::vector<plates::PluginStatus> StaffDesk::plugin_problems() const {
  std::vector<plates::PluginStatus> out;
  if (!parts_.devices) return out;
  for (auto& st : parts_.devices->plugins().status())
    if (st.state != plates::PluginStatus::State::running) out.push_back(std::move(st));
  return out;
}

bool StaffDesk::reenable_plugin(const std::string& plugin_id) {
  problem_.clear();
  if (!parts_.devices || !parts_.devices->plugins().reenable(plugin_id)) {
    problem_ = "no plate plugin " + plugin_id;
    return false;
  }
  audit(storage::AuditKind::device, "plate_plugin_reenabled", plugin_id);
  return true;
}

void StaffDesk::note_volume(int percent) { audit(storage::AuditKind::staff, "volume_set", std::to_string(percent)); }

void StaffDesk::print_test_page(const std::vector<std::string>& lines) {
  problem_.clear();
  const auto file = parts_.data_dir / "spool" / "printer-test-page.pdf";
  try {
    std::filesystem::create_directories(file.parent_path());
    handout::render_test_page(lines, parts_.config.paper, file);
    start_print(file, "test page");
  } catch (const std::exception& e) {
    problem_ = e.what();
    log::get("staff")->error("printer test page failed: {}", e.what());
  }
}

std::vector<std::string> tail_lines(const std::filesystem::path& file, std::size_t lines) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  const std::streamoff from = std::max<std::streamoff>(0, size - 256 * 1024);
  in.seekg(from);
  std::vector<std::string> all;
  std::string line;
  if (from > 0) std::getline(in, line);  // a partial first line
  while (std::getline(in, line)) all.push_back(line);
  if (all.size() > lines) all.erase(all.begin(), all.end() - static_cast<std::ptrdiff_t>(lines));
  return all;
}

}  // namespace kiosk::staff
