// The kiosk's parts, made and wired in one place from the runtime (config +
// paths): storage and its audit log, the FHIR sender, the script catalogue,
// the plate plugins and their calibrations, the handout service, the staff
// PIN. `kiosk` builds its session on these; each part is made on first use,
// so a `kioskctl` command pays only for what it asks for.
//
// Bad parts never stop the kiosk: a database that cannot be opened leaves
// database() null (results are not kept, the log says why), handout assets
// that cannot be loaded leave handouts() null (the end screen sends people
// to the desk). Thread: the main thread; the FHIR sender runs its own.
#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/startup.h"
#include "core/fhir/fhir_sender.h"
#include "core/storage/database.h"
#include "core/storage/session_store.h"
#include "handout/assets.h"
#include "handout/chart_rows.h"
#include "handout/handout_service.h"
#include "plates/device_manager.h"
#include "plates/plate_calibration.h"
#include "plates/plugin_host.h"
#include "script/catalogue.h"

namespace kiosk::app {

class Services {
 public:
  explicit Services(Runtime runtime);
  ~Services();
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  const Runtime& runtime() const { return rt_; }
  const Config& config() const { return rt_.config; }
  const Paths& paths() const { return rt_.paths; }

  // <data dir>/kiosk.db, migrated (a damaged file moved aside, and said so);
  // null when it cannot be used. Retention runs once when it opens.
  storage::Database* database();
  // One audit entry; a failed write goes to the log, never to the caller.
  void audit(storage::AuditKind kind, std::string_view actor, std::string_view event, const std::string& detail);
  // One finished session into storage and the FHIR outbox (wakes the sender);
  // a failure goes to the log: the patient never sees it.
  void store(const storage::SessionRecord& record);
  // The visit code's last stored visit within retention (the follow-up's
  // "since last time"); none without records, history or a usable database
  // (a failure goes to the log).
  std::optional<handout::PreviousVisit> previous_visit(const std::string& visit_code);
  // The outbox's sender thread (the kiosk's; kioskctl pushes with `fhir push`),
  // with the Questionnaires of the catalogue's scripts when a server is set.
  void start_fhir_sender();

  script::Catalogue& catalogue();             // scanned; every broken script logged
  plates::PluginHost& plugins();              // loaded from the plugin folders
  plates::DeviceManager& devices();           // rescanned once
  plates::PlateCalibrations& calibrations();  // the stored calibrations in force
  handout::HandoutService* handouts();        // null when its assets cannot be loaded

  // The marks the technician calibrates on: calibration.marks_file, else the five shipped.
  std::filesystem::path calibration_marks_file() const;
  // The staff PIN's hash; in demo mode with none configured, 2468's (logged as a warning).
  std::string staff_pin_hash() const;

 private:
  Runtime rt_;
  std::optional<storage::Database> db_;
  bool db_tried_ = false;
  std::unique_ptr<fhir::SenderThread> fhir_sender_;
  std::unique_ptr<script::Catalogue> catalogue_;
  std::unique_ptr<plates::PluginHost> plugins_;
  std::unique_ptr<plates::DeviceManager> devices_;
  std::optional<plates::PlateCalibrations> calibrations_;
  std::optional<handout::HandoutAssets> handout_assets_;
  std::unique_ptr<handout::HandoutService> handouts_;
  bool handouts_tried_ = false;
};

}  // namespace kiosk::app
