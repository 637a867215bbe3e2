// `kiosk`: the fullscreen patient-facing program.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>

#include "app/startup.h"
#include "app/watchdog.h"
#include "core/fhir/fhir_sender.h"
#include "core/log.h"
#include "core/storage/database.h"
#include "core/storage/session_store.h"
#include "core/text_catalog.h"
#include "core/version.h"
#include "handout/handout_service.h"
#include "journey/journey.h"
#include "plates/device_manager.h"
#include "plates/plate_calibration.h"
#include "plates/plugin_host.h"
#include "script/catalogue.h"
#include "staff/staff_desk.h"
#include "ui/shell.h"

int main(int argc, char** argv) {
  using namespace kiosk;
  const auto t0 = std::chrono::steady_clock::now();

  CLI::App cli{"Heel-pain self-assessment kiosk (fullscreen). See README.md."};
  app::StartupOptions so;
  ui::ShellOptions shell;
  std::string windowed;
  cli.add_option("--config", so.config_file, "Config file (TOML); see deploy/kiosk.example.toml");
  cli.add_option("--data-dir", so.data_dir, "Folder for the database, logs and handout PDFs");
  cli.add_flag("--demo", so.demo, "Demo mode: simulated plate, bundled scripts, PDFs to files");
  cli.add_option("--windowed", windowed, "Run in a window of WxH instead of fullscreen (e.g. 1280x800)");
  cli.add_option("--screenshot", shell.screenshot, "With --frames: write the last frame as a PNG");
  cli.add_option("--frames", shell.frames, "Draw this many frames, then exit")->check(CLI::Range(1, 100000));
  std::filesystem::path gallery_answers;
  cli.add_option("--gallery", shell.gallery_dir,
                 "Walk every screen with --answers and save one PNG per screen in this folder, then exit");
  cli.add_flag("--walk", shell.walk,
               "With --answers: walk every screen at the kiosk's own frame pacing, save nothing, then exit (bench)");
  double actor_speed = 0;
  cli.add_option("--actor-speed", actor_speed, "The simulated plate's demo person plays this many times faster "
                 "(default: 20 with --gallery, else 1)")->check(CLI::Range(0.1, 100.0));
  cli.add_option("--answers", gallery_answers, "With --gallery or --walk: a session answers file (kioskctl session run format)")
      ->check(CLI::ExistingFile);
  cli.add_option("--drive", shell.drive_file,
                 "Press through the screens as a drive file says (input-driven UI tests), then exit")
      ->check(CLI::ExistingFile);
  cli.add_option("--shots", shell.shots_dir, "With --drive: folder for the pictures its `shot` lines take");
  cli.add_option("--frame-stats", shell.frame_stats, "Write one line per drawn frame (what, work ms, interval ms) here");
  cli.set_version_flag("--version", std::string("kiosk ") + kProgramVersion);
  CLI11_PARSE(cli, argc, argv);

  if (!shell.screenshot.empty() && shell.frames == 0) shell.frames = 3;
  if (!shell.gallery_dir.empty() || shell.walk) {
    if (gallery_answers.empty()) {
      std::fprintf(stderr, "kiosk: --gallery and --walk need --answers FILE\n");
      return 2;
    }
    try {
      std::ifstream in(gallery_answers);
      shell.gallery_answers = nlohmann::json::parse(in);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "kiosk: %s: %s\n", gallery_answers.string().c_str(), e.what());
      return 2;
    }
  }
  if (!windowed.empty()) {
    int w = 0, h = 0;
    char tail = 0;
    if (std::sscanf(windowed.c_str(), "%dx%d%c", &w, &h, &tail) != 2 || w < 320 || h < 240 || w > 7680 ||
        h > 4320) {
      std::fprintf(stderr,
                   "kiosk: --windowed takes WIDTHxHEIGHT from 320x240 to 7680x4320, e.g. 1280x800 "
                   "(got \"%s\")\n",
                   windowed.c_str());
      return 2;
    }
    shell.window.fullscreen = false;
    shell.window.width = w;
    shell.window.height = h;
  }

  app::Runtime rt;
  TextCatalog text;
  try {
    rt = app::start(so);
    text = TextCatalog::load(rt.paths.assets_dir / "strings");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kiosk: %s\n", e.what());
    return 2;
  }
  auto logger = log::get("app");

  // Storage problems never stop the kiosk: it runs on, storing nothing, and says so in the log.
  std::optional<storage::Database> db;
  try {
    storage::OpenReport report;
    db.emplace(storage::Database::open(rt.paths.data_dir / "kiosk.db", &report));
    if (report.quarantined)
      logger->warn("damaged database moved aside moved_to={}", report.moved_to.string());
    storage::SessionStore(*db, rt.config).purge_expired(storage::Clock::now());  // retention at start-up
  } catch (const storage::StorageError& e) {
    logger->error("storage unavailable, results will not be kept: {}", e.what());
  }
  // The outbox to the clinic's FHIR server: its own thread and database connection, never the UI thread.
  std::optional<fhir::SenderThread> fhir_sender;
  if (db) fhir_sender.emplace(rt.paths.data_dir / "kiosk.db", rt.config, rt.paths.data_dir);
  // Scripts (checked; broken ones hidden from patients) and plates (hotplug).
  script::Catalogue catalogue(rt.paths.script_dirs);
  catalogue.scan();
  for (const auto* bad : catalogue.invalid())
    for (const auto& p : bad->problems) logger->error("script unavailable: {}", p.to_string());
  plates::PluginHost plugins(rt.config.plate_call_deadline);  // each plugin in its own process
  plugins.load_from(rt.paths.plugin_dirs);
  plates::DeviceManager devices(plugins);
  devices.rescan();
  // Scripted walks play the simulated person fast, so a walk takes seconds.
  const bool gallery = !shell.gallery_dir.empty() || !shell.drive_file.empty() || shell.walk;
  if (actor_speed == 0) actor_speed = shell.gallery_dir.empty() && shell.drive_file.empty() ? 1.0 : 20.0;
  // Plates measure patients only with a stored calibration in force (kioskctl calibrate, the technician screen).
  auto calibrations = plates::PlateCalibrations::from_database(db ? &*db : nullptr, rt.config);
  journey::DevicePlates plate_access(devices, calibrations, /*demo_actor=*/so.demo || gallery, actor_speed);
  for (const auto& problem : plate_access.problems()) logger->warn("plate not offered to patients: {}", problem);
  journey::JourneySettings settings;
  settings.idle_timeout = rt.config.idle_timeout;
  settings.still_there = rt.config.still_there;
  settings.default_lang = rt.config.language;
  settings.clinic = script::clinic_context(rt.config);
  // The audit log never stops the kiosk: a failed write is logged instead.
  auto audit = [&](storage::AuditKind kind, std::string_view event, const std::string& detail) {
    if (!db) return;
    try {
      db->audit(kind, "kiosk", event, detail);
    } catch (const std::exception& e) {
      logger->error("audit entry not written event={}: {}", event, e.what());
    }
  };
  plugins.on_failure([&](const plates::HostFailure& f) {  // a plate host died: already logged; audited here
    audit(storage::AuditKind::device, f.quarantined ? "plate_plugin_quarantined" : "plate_plugin_failed",
          fmt::format("plugin={} reason={}", f.plugin, f.reason));
  });
  plate_access.on_change([&](const plates::DeviceChange& c) {
    audit(storage::AuditKind::device,
                      c.kind == plates::DeviceChange::added ? "plate_found" : c.kind == plates::DeviceChange::removed ? "plate_gone" : "plate_back",
          c.id);
  });
  journey::Journey journey(catalogue, plate_access, settings);
  // Handouts: without their assets the kiosk runs on, and the end screen sends people to the desk.
  std::optional<handout::HandoutAssets> handout_assets;
  std::optional<handout::HandoutService> handouts;
  try {
    handout_assets.emplace(handout::HandoutAssets::load(rt.paths));
    handouts.emplace(*handout_assets,
                     handout::RenderOptions{rt.config.paper, rt.config.clinic_name, rt.config.clinic_logo, {}},
                     rt.config.printer, rt.paths.data_dir / "spool", rt.paths.data_dir / "handouts");
    journey.set_handout(&*handouts);
  } catch (const std::exception& e) {
    logger->error("handouts unavailable: {}", e.what());
  }
  // A session that got past the welcome screen is stored as the clinic configured (records.*).
  journey.on_session_end([&](const nlohmann::json& session, std::string_view how) {
    logger->info("session ended how={} tests={} safety={}", how, session["tests"].size(),
                 session["safety"].value("state", std::string()));
    if (!db) return;
    storage::SessionRecord r;
    r.started_at = r.ended_at = storage::Clock::now();
    r.outcome = storage::outcome_of(session, how);
    if (const auto code = session.value("visit_code", std::string()); storage::is_valid_visit_code(code)) r.visit_code = code;
    r.session = session;
    if (const auto h = session.find("handout"); h != session.end()) {
      r.plan = h->value("plan", nlohmann::json());
      const auto print = h->value("print", nlohmann::json::object());
      const auto state = print.value("state", std::string("none"));
      const auto saved_to = print.value("saved_to", std::string());
      r.print = state == "done" ? (saved_to.empty() ? storage::PrintStatus::printed : storage::PrintStatus::saved)
              : state == "failed" ? storage::PrintStatus::failed
              : state == "none" ? storage::PrintStatus::none : storage::PrintStatus::pending;
      r.print_detail = print.value("detail", std::string());
      if (!saved_to.empty()) {
        std::ifstream pdf(saved_to, std::ios::binary);
        r.handout_pdf.assign(std::istreambuf_iterator<char>(pdf), {});
      }
    }
    try {
      storage::SessionStore(*db, rt.config).commit(r);
      if (fhir_sender) fhir_sender->wake();
    } catch (const std::exception& e) {
      logger->error("session not stored: {}", e.what());  // the patient never sees this; staff see the log
    }
  });

  logger->info("ready after ms={}",
               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
                   .count());

  // Staff screens: the PIN's hash from the config; every try and every action is audited.
  // Demo mode without a configured PIN opens with 2468 (README), so the staff screens can be seen.
  std::string pin_hash = rt.config.staff_pin_hash;
  if (pin_hash.empty() && so.demo) {
    pin_hash = hash_staff_pin("2468");
    logger->warn("demo mode: the staff PIN is 2468 (set staff.pin_hash for a real kiosk)");
  }
  StaffGate gate(pin_hash, {}, [&](std::string_view event, std::string_view detail) {
    logger->info("staff event={} {}", event, detail);
    audit(storage::AuditKind::staff, event, std::string(detail));
  });
  // The marks the technician screen calibrates on: the config's, else the five shipped with the kiosk.
  auto marks_file = rt.config.calibration_marks_file;
  for (const auto* shipped : {"../calibration/five_marks.toml", "../devices/calibration/five_marks.toml"})
    if (marks_file.empty() && std::filesystem::exists(rt.paths.assets_dir / shipped)) marks_file = rt.paths.assets_dir / shipped;
  staff::StaffDesk desk({gate, catalogue, rt.config, &devices, &calibrations, marks_file, db ? &*db : nullptr,
                         rt.paths.data_dir, rt.paths.data_dir / "logs" / so.log_file,
                         [&](storage::AuditKind kind, std::string_view event, const std::string& detail) {
                           audit(kind, event, detail);
                         }});

  shell.assets_dir = rt.paths.assets_dir;
  try {
    ui::Shell ui_shell(rt.config, text, journey, shell);
    ui_shell.set_staff(&desk);
    app::Watchdog watchdog;  // systemd's: READY after the first frame, a kick every loop turn
    ui_shell.set_heartbeat({[&] { watchdog.ready(); }, [&] { watchdog.kick(); }, [&] { watchdog.stopping(); },
                            [&] { return static_cast<int>(watchdog.max_wait().count()); }});
    ui_shell.on_every_second([&] {
      // Never under a patient: the session holds pointers into the catalogue.
      if (journey.stage() != journey::Stage::attract || !catalogue.refresh()) return;
      logger->info("scripts changed: {} available", catalogue.available().size());
      audit(storage::AuditKind::script, "scripts_changed",
            fmt::format("{} available, {} invalid", catalogue.available().size(), catalogue.invalid().size()));
    });
    return ui_shell.run();
  } catch (const ui::NoDisplayError& e) {
    std::fprintf(stderr,
                 "kiosk: no display (%s); run headless with SDL_VIDEODRIVER=offscreen kiosk "
                 "--screenshot out.png, or under xvfb-run\n",
                 e.what());
    return 3;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kiosk: %s\n", e.what());
    return 2;
  }
}
