// `kiosk`: the fullscreen patient-facing program.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <optional>

#include "app/startup.h"
#include "core/log.h"
#include "core/storage/database.h"
#include "core/storage/session_store.h"
#include "core/text_catalog.h"
#include "core/version.h"
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
  cli.set_version_flag("--version", std::string("kiosk ") + kProgramVersion);
  CLI11_PARSE(cli, argc, argv);

  if (!shell.screenshot.empty() && shell.frames == 0) shell.frames = 3;
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
  logger->info("ready after ms={}",
               std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
                   .count());

  try {
    return ui::Shell(rt.config, text, shell).run();
  } catch (const ui::NoDisplayError& e) {
    std::fprintf(stderr,
                 "kiosk: no display (%s); run headless with SDL_VIDEODRIVER=offscreen kiosk "
                 "--screenshot out.png, or under xvfb-run\n",
                 e.what());
    return 3;
  }
}
