// walk_time --data-dir D --plugin-dir P --answers A [--walks N]: how long a
// patient takes through a whole session. The autopilot (journey/autopilot.h)
// walks the journey N times with the answers A on the simulated plate,
// calibrated in D's database (bench/run calibrates it with kioskctl), its
// demo actor doing each test in plate time on the sim's virtual clock, so a
// walk of several minutes runs in seconds. The time on each other screen is
// journey::PatientPace's (reading, getting into position, typing, tapping),
// for N simulated people whose slowness is spread log-normally around 1
// (sigma 0.25: a tenth of them 1.4 times slower or more), seeded: the same
// figures every run.
// Prints bench/run rows "figure<TAB>value<TAB>unit": the median, the 10th and
// the 90th percentile in minutes.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>

#include "core/config.h"
#include "core/storage/database.h"
#include "core/text_catalog.h"
#include "journey/autopilot.h"
#include "journey/journey.h"
#include "journey/patient_pace.h"
#include "journey/plate_access.h"
#include "plates/device_manager.h"
#include "plates/plate_calibration.h"
#include "plates/plugin_host.h"
#include "plates/sim_clock.h"
#include "script/catalogue.h"

namespace {

using namespace kiosk;
using journey::PilotAction;
using journey::Stage;

constexpr double kPlateStep_s = 0.1;  // plate time played per tick of a running capture

struct Walk {
  double seconds = 0;
  std::string problem;                  // empty: back on the attract screen
  std::map<std::string, double> parts;  // seconds by stage or script ("knee_to_wall"), and "  plate" for captures
};

Walk stopped(Walk w, std::string problem) {
  w.problem = std::move(problem);
  return w;
}

std::string part_of(const journey::Journey& j) {
  if (j.stage() == Stage::step && j.script_info()) return j.script_info()->id;
  return std::string(journey::to_string(j.stage()));
}

struct Kiosk {
  script::Catalogue& catalogue;
  journey::DevicePlates& plates;
  const plates::LoadedPlugin& sim;
  const TextCatalog& ui;
};

// One patient from the attract screen back to it, on a clock that moves only as the person and the plate do.
Walk walk_once(const Kiosk& k, const script::AnswerBook& answers, const journey::PatientPace& pace) {
  journey::Journey j(k.catalogue, k.plates, {});
  journey::Autopilot pilot(answers);
  journey::PacedPerson person(pace, k.ui);
  Walk w;
  auto now = journey::Journey::Clock::time_point{} + std::chrono::hours(1);
  auto pass = [&](double s, const std::string& part) {
    w.seconds += s;
    w.parts[part] += s;
    now += std::chrono::duration_cast<journey::Journey::Clock::duration>(std::chrono::duration<double>(s));
  };
  j.touch(now);
  j.start();
  for (int guard = 0; guard < 100000; ++guard) {
    j.tick(now);
    if (j.stage() == Stage::attract) return w;
    if (j.asking_still_there()) return stopped(w, "the journey asked whether the person is still there");
    const auto action = pilot.decide(j);
    if (!action) return stopped(w, pilot.problem());
    if (action->kind == PilotAction::wait) {  // the 3-2-1, then the capture in plate time
      if (j.capture_phase() != journey::CapturePhase::counting_in && plates::advance_sim(k.sim, kPlateStep_s) != KP_OK)
        return stopped(w, "the sim plate did not play");
      pass(kPlateStep_s, part_of(j) + " (count-in and plate)");
      continue;
    }
    pass(person.seconds_before(j, *action), part_of(j));
    j.touch(now);
    if (!pilot.act(j)) return stopped(w, pilot.problem());
  }
  return stopped(w, "the walk did not end");
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(
      std::clamp(p / 100 * static_cast<double>(v.size() - 1) + 0.5, 0.0, static_cast<double>(v.size() - 1)));
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"A patient's time through a whole session, on the simulated plate"};
  std::filesystem::path data_dir, plugin_dir, answers_file;
  std::filesystem::path source = KIOSK_SOURCE_DIR;
  int walks = 25;
  bool detail = false;
  app.add_option("--data-dir", data_dir, "Holds kiosk.db with the sim plate's calibration")->required();
  app.add_option("--plugin-dir", plugin_dir, "Where sim.so is")->required();
  app.add_option("--answers", answers_file, "The person's answers (kioskctl session run format)")->required();
  app.add_option("--walks", walks, "Simulated people")->check(CLI::Range(1, 10000));
  app.add_flag("--detail", detail, "Also the first walk's minutes by stage and script, on stderr");
  CLI11_PARSE(app, argc, argv);

  plates::PluginHost host;
  if (auto err = host.load(plugin_dir / "sim.so"); !err.empty()) {
    std::fprintf(stderr, "walk_time: %s\n", err.c_str());
    return 1;
  }
  plates::DeviceManager devices{host};
  devices.rescan();
  auto db = storage::Database::open(data_dir / "kiosk.db");
  const auto calibrations = plates::PlateCalibrations::from_database(&db, Config{});
  journey::DevicePlates plates{devices, calibrations, /*demo_actor=*/true, plates::SimPace::virtual_clock()};
  if (!plates.available()) {
    std::fprintf(stderr, "walk_time: no calibrated sim plate in %s\n", (data_dir / "kiosk.db").c_str());
    return 1;
  }
  script::Catalogue catalogue({source / "scripts"});
  catalogue.scan();
  const auto ui = TextCatalog::load(source / "assets" / "strings");
  const auto answers = script::AnswerBook::read(answers_file);
  const Kiosk kiosk{catalogue, plates, host.loaded().at(0), ui};

  std::mt19937 people(20261208);  // seeded: the same people every run
  std::lognormal_distribution<double> slowness(0.0, 0.25);
  std::vector<double> minutes;
  for (int i = 0; i < walks; ++i) {
    journey::PatientPace pace;
    pace.slowness = slowness(people);
    const Walk w = walk_once(kiosk, answers, pace);
    if (!w.problem.empty()) {
      std::fprintf(stderr, "walk_time: walk %d stopped after %.0f s: %s\n", i + 1, w.seconds, w.problem.c_str());
      return 1;
    }
    minutes.push_back(w.seconds / 60);
    if (detail && i == 0)
      for (const auto& [part, s] : w.parts)
        fmt::print(stderr, "walk 1 (slowness {:.2f}): {:<45} {:6.2f} min\n", pace.slowness, part, s / 60);
  }
  fmt::print("patient walk, median of {} simulated people\t{:.2f}\tmin\n", walks, percentile(minutes, 50));
  fmt::print("patient walk, 10th percentile\t{:.2f}\tmin\n", percentile(minutes, 10));
  fmt::print("patient walk, 90th percentile\t{:.2f}\tmin\n", percentile(minutes, 90));
  return 0;
}
