// `kioskctl metrics` and `kioskctl detect`, run as the real binary.
#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "signal/recording_io.h"
#include "sim/scenario.h"

namespace fs = std::filesystem;
using namespace kiosk;

namespace {

struct Run {
  int exit_code = -1;
  std::string out, err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path scratch_dir() {
  // One folder per test process, removed when the process ends.
  struct Scratch {
    fs::path dir = fs::temp_directory_path() / fmt::format("kioskctl_signal_{}", ::getpid());
    ~Scratch() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  };
  static Scratch scratch;
  fs::create_directories(scratch.dir);
  return scratch.dir;
}

Run kioskctl(const std::string& args) {
  const auto dir = scratch_dir();
  const auto out = dir / "out.txt", err = dir / "err.txt";
  const auto cmd = fmt::format("'{}/kioskctl' {} >'{}' 2>'{}'", KIOSK_BIN_DIR, args, out.string(), err.string());
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

fs::path write_scenario(const sim::ScenarioConfig& c, const std::string& name) {
  const auto file = scratch_dir() / name;
  signal::write_calibrated_csv(file, sim::generate_recording(c));
  return file;
}

}  // namespace

TEST_CASE("kioskctl metrics on a BDS trial gives the authors' numbers in mm") {
  const auto trial = fs::path(KIOSK_SOURCE_DIR) / ".." / "shared" / "datasets" / "bds" / "trials" / "BDS00001.txt";
  if (!fs::exists(trial)) {
    WARN("skipped: " << trial.string() << " not found");
    return;
  }
  const auto r = kioskctl(fmt::format("metrics '{}' --format bds --json", trial.string()));
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  // The measures by the names scripts, the record and exports use.
  const auto ordered = nlohmann::ordered_json::parse(r.out);
  std::vector<std::string> keys;
  for (const auto& [key, value] : ordered.items()) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"samples", "duration_s", "path_mm", "velocity_mm_s", "area95_mm2",
                                         "ml_range_mm", "ap_range_mm", "ml_rms_mm", "ap_rms_mm", "mean_freq_hz"});
  CHECK(j["samples"] == 6000);
  CHECK(j["duration_s"].get<double>() == Approx(60));
  // reference_cop.tsv, BDS00001: COParea 0.94469 cm², COPvelo 0.62019 cm/s, COPmfreq 0.25658 Hz.
  CHECK(j["area95_mm2"].get<double>() == Approx(94.469).epsilon(1e-4));
  CHECK(j["velocity_mm_s"].get<double>() == Approx(6.2019).epsilon(1e-4));
  CHECK(j["mean_freq_hz"].get<double>() == Approx(0.25658).epsilon(1e-4));
}

TEST_CASE("kioskctl detect counts heel raises in a recorded CSV") {
  sim::ScenarioConfig c;
  c.scenario = sim::Scenario::heel_raises;
  c.reps = 23;
  c.rate_hz = 1000;
  c.cell_noise_n = 2;
  const auto file = write_scenario(c, "raises.csv");
  const auto r = kioskctl(fmt::format("detect '{}' --detector heel_raise_count --format csv --json", file.string()));
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["reps"] == 23);
  CHECK(j["end_reason"] == "two_small_rises");
  REQUIRE(j["events"].is_array());
  CHECK(j["events"].back()["kind"] == "test_end");
  // The old name still works, says it is deprecated, and gives the same answer.
  const auto old = kioskctl(fmt::format("detect '{}' --detector heel_raise_reps --format csv --json", file.string()));
  REQUIRE(old.exit_code == 0);
  CHECK_THAT(old.err, Catch::Contains("--detector heel_raise_reps is deprecated; use heel_raise_count"));
  CHECK(nlohmann::json::parse(old.out) == j);
}

TEST_CASE("kioskctl detect finds the touch-down, or says null") {
  sim::ScenarioConfig c;
  c.scenario = sim::Scenario::single_leg_touchdown;
  c.touchdown_s = 8.25;
  c.touchdown_place = sim::TouchdownPlace::on_plate;
  auto r =
      kioskctl(fmt::format("detect '{}' --detector single_leg_stance --json", write_scenario(c, "td.csv").string()));
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["touchdown_s"].is_number());
  CHECK(j["touchdown_s"].get<double>() == Approx(8.25).margin(0.05));

  sim::ScenarioConfig quiet;
  quiet.duration_s = 10;
  r = kioskctl(
      fmt::format("detect '{}' --detector single_leg_touchdown --json", write_scenario(quiet, "q.csv").string()));
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("--detector single_leg_touchdown is deprecated; use single_leg_stance"));
  j = nlohmann::json::parse(r.out);
  CHECK(j["touchdown_s"].is_null());
}

TEST_CASE("kioskctl refuses a bad recording with file, line and exit code 2") {
  const auto file = scratch_dir() / "bad.csv";
  std::ofstream(file) << "t_s,fz_n,cop_x_mm,cop_y_mm\n0,700,1,2\n0.01,700,nan,2\n";
  const auto r = kioskctl(fmt::format("metrics '{}' --json", file.string()));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(file.string() + ":3: cop_x_mm is not a finite number") != std::string::npos);
  CHECK(r.out.empty());
  CHECK(kioskctl("detect /nonexistent.csv --detector heel_raise_count").exit_code != 0);
  CHECK(kioskctl(fmt::format("detect '{}' --detector jump_height", file.string())).exit_code != 0);
}
