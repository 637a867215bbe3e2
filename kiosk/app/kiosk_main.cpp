// `kiosk`: the fullscreen patient-facing program. The command line is read
// here; the parts come from app::Services (the composition root); main()
// only connects the patient's journey, the staff desk and the window.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <optional>

#include "app/services.h"
#include "app/startup.h"
#include "app/watchdog.h"
#include "core/log.h"
#include "core/text_catalog.h"
#include "core/version.h"
#include "journey/journey.h"
#include "staff/staff_desk.h"
#include "staff/staff_gate.h"
#include "ui/shell.h"

namespace {

using namespace kiosk;

struct CommandLine {
  app::StartupOptions startup;
  ui::ShellOptions shell;
  ui::RunMode mode;        // a test or bench run (ui/run_driver.h); all empty: the kiosk
  double actor_speed = 0;  // the simulated plate's demo person; 0: the default for the mode
};

// --windowed WxH into the window options; false (said on stderr) when malformed.
bool parse_window_size(const std::string& text, ui::WindowOptions& window) {
  int w = 0, h = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%dx%d%c", &w, &h, &tail) != 2 || w < 320 || h < 240 || w > 7680 || h > 4320) {
    std::fprintf(stderr, "kiosk: --windowed takes WIDTHxHEIGHT from 320x240 to 7680x4320, e.g. 1280x800 (got \"%s\")\n",
                 text.c_str());
    return false;
  }
  window.fullscreen = false;
  window.width = w;
  window.height = h;
  return true;
}

// The command line, checked; nullopt after saying why on stderr (or after --help) with `exit_code` set.
std::optional<CommandLine> read_command_line(int argc, char** argv, int& exit_code) {
  CLI::App cli{"Heel-pain self-assessment kiosk (fullscreen). See README.md."};
  CommandLine c;
  std::string windowed;
  std::filesystem::path answers;
  cli.add_option("--config", c.startup.config_file, "Config file (TOML); see deploy/kiosk.example.toml");
  cli.add_option("--data-dir", c.startup.data_dir, "Folder for the database, logs and handout PDFs");
  cli.add_flag("--demo", c.startup.demo, "Demo mode: simulated plate, bundled scripts, PDFs to files");
  cli.add_option("--windowed", windowed, "Run in a window of WxH instead of fullscreen (e.g. 1280x800)");
  cli.add_option("--screenshot", c.mode.screenshot, "With --frames: write the last frame as a PNG");
  cli.add_option("--frames", c.mode.frames, "Draw this many frames, then exit")->check(CLI::Range(1, 100000));
  cli.add_option("--gallery", c.mode.gallery_dir,
                 "Walk every screen with --answers and save one PNG per screen in this folder, then exit");
  cli.add_flag("--walk", c.mode.walk,
               "With --answers: walk every screen at the kiosk's own frame pacing, save nothing, then exit (bench)");
  cli.add_option("--actor-speed", c.actor_speed,
                 "The simulated plate's demo person plays this many times faster (default: 20 with --gallery, else 1)")
      ->check(CLI::Range(0.1, 100.0));
  cli.add_option("--answers", answers, "With --gallery or --walk: a session answers file (kioskctl session run format)")
      ->check(CLI::ExistingFile);
  cli.add_option("--drive", c.mode.drive_file,
                 "Press through the screens as a drive file says (input-driven UI tests), then exit")
      ->check(CLI::ExistingFile);
  cli.add_option("--shots", c.mode.shots_dir, "With --drive: folder for the pictures its `shot` lines take");
  cli.add_option("--frame-stats", c.shell.frame_stats,
                 "Write one line per drawn frame (what, work ms, interval ms) here");
  cli.set_version_flag("--version", std::string("kiosk ") + kProgramVersion);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    exit_code = cli.exit(e);
    return std::nullopt;
  }
  exit_code = 2;
  if (!c.mode.screenshot.empty() && c.mode.frames == 0) c.mode.frames = 3;
  if (!c.mode.gallery_dir.empty() || c.mode.walk) {
    if (answers.empty()) {
      std::fprintf(stderr, "kiosk: --gallery and --walk need --answers FILE\n");
      return std::nullopt;
    }
    try {
      c.mode.answers = script::AnswerBook::read(answers);
    } catch (const script::AnswerError& e) {
      std::fprintf(stderr, "kiosk: %s\n", e.what());
      return std::nullopt;
    }
  }
  if (!windowed.empty() && !parse_window_size(windowed, c.shell.window)) return std::nullopt;
  // Scripted walks play the simulated person fast, so a walk takes seconds.
  if (c.actor_speed == 0) c.actor_speed = c.mode.gallery_dir.empty() && c.mode.drive_file.empty() ? 1.0 : 20.0;
  exit_code = 0;
  return c;
}

journey::JourneySettings journey_settings(const Config& config) {
  journey::JourneySettings settings;
  settings.idle_timeout = config.idle_timeout;
  settings.still_there = config.still_there;
  settings.default_lang = config.language;
  settings.clinic = script::clinic_context(config);
  settings.visit_codes = config.fhir.visit_code_as != "off";
  return settings;
}

std::string_view plate_event(plates::DeviceChange::Kind kind) {
  return kind == plates::DeviceChange::added     ? "plate_found"
         : kind == plates::DeviceChange::removed ? "plate_gone"
                                                 : "plate_back";
}

using AuditFn = staff::StaffDesk::Audit;

// The window's loop until the kiosk quits; its exit code.
int run_window(app::Services& s, CommandLine& cmd, const TextCatalog& text, journey::Journey& journey,
               staff::StaffDesk& desk, const AuditFn& audit) {
  cmd.shell.assets_dir = s.paths().assets_dir;
  cmd.shell.script_dirs = s.paths().script_dirs;
  try {
    ui::Shell shell(s.config(), text, journey, cmd.shell);
    shell.set_staff(&desk);
    shell.set_driver(ui::make_run_driver(cmd.mode));
    app::Watchdog watchdog;  // systemd's: READY after the first frame, a kick every loop turn
    shell.set_heartbeat({[&] { watchdog.ready(); }, [&] { watchdog.kick(); }, [&] { watchdog.stopping(); },
                         [&] { return static_cast<int>(watchdog.max_wait().count()); }});
    shell.on_every_second([&] {
      // Never under a patient: the session holds pointers into the catalogue.
      if (journey.stage() != journey::Stage::attract || !s.catalogue().refresh()) return;
      log::get("app")->info("scripts changed: {} available", s.catalogue().available().size());
      audit(storage::AuditKind::script, "scripts_changed",
            fmt::format("{} available, {} invalid", s.catalogue().available().size(), s.catalogue().invalid().size()));
    });
    return shell.run();
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

// A session that got past the welcome screen is stored as the clinic configured (records.*).
void store_each_session(app::Services& s, journey::Journey& journey) {
  journey.on_session_end([&s](const journey::EndedSession& end) {
    log::get("app")->info("session ended how={} tests={} safety={}", end.how, end.session.tests.size(),
                          safety::to_string(end.session.safety.state()));
    auto record = storage::record_of(end.session, end.how, end.started_at, WallClock::now());
    if (end.handout) handout::add_to_record(record, *end.handout);
    s.store(record);
  });
}

}  // namespace

int main(int argc, char** argv) {
  const auto t0 = std::chrono::steady_clock::now();
  int exit_code = 0;
  auto cmd = read_command_line(argc, argv, exit_code);
  if (!cmd) return exit_code;

  std::optional<app::Services> services;
  TextCatalog text;
  try {
    services.emplace(app::start(cmd->startup));
    text = TextCatalog::load(services->paths().assets_dir / "strings");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kiosk: %s\n", e.what());
    return 2;
  }
  auto& s = *services;
  auto logger = log::get("app");
  s.start_fhir_sender();  // the outbox: its own thread and database connection, never the UI thread
  const AuditFn audit = [&s](storage::AuditKind kind, std::string_view event, const std::string& detail) {
    s.audit(kind, "kiosk", event, detail);
  };

  s.plugins().on_failure([&](const plates::HostFailure& f) {  // a plate host died: already logged; audited here
    audit(storage::AuditKind::device, f.quarantined ? "plate_plugin_quarantined" : "plate_plugin_failed",
          fmt::format("plugin={} reason={}", f.plugin, f.reason));
  });
  // Plates measure patients only with a stored calibration in force (kioskctl calibrate, the technician screen).
  const bool scripted = cmd->mode.walk || !cmd->mode.gallery_dir.empty() || !cmd->mode.drive_file.empty();
  journey::DevicePlates plates(s.devices(), s.calibrations(), /*demo_actor=*/s.runtime().demo || scripted,
                               cmd->actor_speed);
  for (const auto& problem : plates.problems()) logger->warn("plate not offered to patients: {}", problem);
  plates.on_change(
      [&](const plates::DeviceChange& c) { audit(storage::AuditKind::device, plate_event(c.kind), c.id); });

  journey::Journey journey(s.catalogue(), plates, journey_settings(s.config()));
  if (auto* handouts = s.handouts()) journey.set_handout(handouts);
  journey.set_previous_visits([&s](const std::string& code) { return s.previous_visit(code); });
  store_each_session(s, journey);
  logger->info("ready after ms={}",
               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count());

  // Staff screens: every PIN try and every action is audited.
  StaffGate gate(s.staff_pin_hash(), {}, [&](std::string_view event, std::string_view detail) {
    logger->info("staff event={} {}", event, detail);
    audit(storage::AuditKind::staff, event, std::string(detail));
  });
  staff::StaffDesk desk({gate, s.catalogue(), s.config(), &s.devices(), &s.calibrations(), s.calibration_marks_file(),
                         s.database(), s.paths().data_dir, s.paths().data_dir / "logs" / s.runtime().log_file, audit});
  return run_window(s, *cmd, text, journey, desk, audit);
}
