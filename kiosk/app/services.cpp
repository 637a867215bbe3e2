#include "app/services.h"

#include <fmt/format.h>

#include "core/log.h"
#include "script/questionnaire.h"
#include "script/session.h"
#include "staff/staff_gate.h"

namespace kiosk::app {

Services::Services(Runtime runtime) : rt_(std::move(runtime)) {}

Services::~Services() = default;  // the sender stops first (declared after the database it reads)

storage::Database* Services::database() {
  if (db_tried_) return db_ ? &*db_ : nullptr;
  db_tried_ = true;
  auto logger = log::get("app");
  try {
    storage::OpenReport report;
    db_.emplace(storage::Database::open(rt_.paths.data_dir / storage::kDatabaseFileName, &report));
    if (report.quarantined) logger->warn("damaged database moved aside moved_to={}", report.moved_to.string());
    storage::SessionStore(*db_, rt_.config).purge_expired(WallClock::now());  // retention at start-up
  } catch (const storage::StorageError& e) {
    logger->error("storage unavailable, results will not be kept: {}", e.what());
    db_.reset();
  }
  return db_ ? &*db_ : nullptr;
}

void Services::audit(storage::AuditKind kind, std::string_view actor, std::string_view event,
                     const std::string& detail) {
  auto* db = database();
  if (!db) return;
  try {
    db->audit(kind, actor, event, detail);
  } catch (const std::exception& e) {
    log::get("app")->error("audit entry not written event={}: {}", event, e.what());
  }
}

void Services::store(const storage::SessionRecord& record) {
  auto* db = database();
  if (!db) return;
  try {
    storage::SessionStore(*db, rt_.config).commit(record);
    if (fhir_sender_) fhir_sender_->wake();
  } catch (const std::exception& e) {
    log::get("app")->error("session not stored: {}", e.what());  // the patient never sees this; staff see the log
  }
}

std::optional<handout::PreviousVisit> Services::previous_visit(const std::string& visit_code) {
  auto* db = database();
  if (!db) return std::nullopt;
  try {
    auto last = storage::SessionStore(*db, rt_.config).last_for_visit_code(visit_code, WallClock::now());
    if (!last) return std::nullopt;
    return handout::PreviousVisit{last->ended_at.substr(0, 10), std::move(last->session)};
  } catch (const std::exception& e) {
    log::get("app")->error("previous visit not read: {}", e.what());  // the patient sees no history; staff the log
    return std::nullopt;
  }
}

void Services::start_fhir_sender() {
  if (fhir_sender_ || !database()) return;
  // The screening and profile Questionnaires (from the scripts as they are now) go ahead of the responses.
  auto questionnaires = rt_.config.fhir.base_url.empty()
                            ? records_export::QuestionnaireDefs{}
                            : script::questionnaires(catalogue(), script::clinic_context(rt_.config));
  fhir_sender_ = std::make_unique<fhir::SenderThread>(rt_.paths.data_dir / storage::kDatabaseFileName, rt_.config,
                                                      rt_.paths.data_dir, std::move(questionnaires));
}

script::Catalogue& Services::catalogue() {
  if (!catalogue_) {
    catalogue_ = std::make_unique<script::Catalogue>(rt_.paths.script_dirs);
    catalogue_->scan();
    for (const auto* bad : catalogue_->invalid())
      for (const auto& p : bad->problems) log::get("app")->error("script unavailable: {}", p.to_string());
  }
  return *catalogue_;
}

plates::PluginHost& Services::plugins() {
  if (!plugins_) {
    plugins_ = std::make_unique<plates::PluginHost>(rt_.config.plate_call_deadline);  // each plugin in its own process
    plugins_->load_from(rt_.paths.plugin_dirs);
  }
  return *plugins_;
}

plates::DeviceManager& Services::devices() {
  if (!devices_) {
    devices_ = std::make_unique<plates::DeviceManager>(plugins());
    devices_->rescan();
  }
  return *devices_;
}

plates::PlateCalibrations& Services::calibrations() {
  if (!calibrations_) calibrations_ = plates::PlateCalibrations::from_database(database(), rt_.config);
  return *calibrations_;
}

handout::HandoutService* Services::handouts() {
  if (handouts_tried_) return handouts_.get();
  handouts_tried_ = true;
  try {
    handout_assets_.emplace(handout::HandoutAssets::load(rt_.paths));
    handouts_ = std::make_unique<handout::HandoutService>(*handout_assets_, handout::render_options(rt_.config),
                                                          rt_.config.printer, rt_.paths.data_dir / "spool",
                                                          rt_.paths.data_dir / "handouts");
  } catch (const std::exception& e) {
    log::get("app")->error("handouts unavailable: {}", e.what());
  }
  return handouts_.get();
}

std::filesystem::path Services::calibration_marks_file() const {
  if (!rt_.config.calibration_marks_file.empty()) return rt_.config.calibration_marks_file;
  // Installed: share/kiosk/calibration; in the build tree: devices/calibration beside assets/.
  for (const auto* shipped : {"../calibration/five_marks.toml", "../devices/calibration/five_marks.toml"})
    if (std::filesystem::exists(rt_.paths.assets_dir / shipped)) return rt_.paths.assets_dir / shipped;
  return {};
}

std::string Services::staff_pin_hash() const {
  if (!rt_.config.staff_pin_hash.empty() || !rt_.demo) return rt_.config.staff_pin_hash;
  log::get("app")->warn("demo mode: the staff PIN is 2468 (set staff.pin_hash for a real kiosk)");
  return hash_staff_pin("2468");  // README: demo mode's staff screens can be seen
}

}  // namespace kiosk::app
