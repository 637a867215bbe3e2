// The kiosk's sway metrics against the published results of the BDS authors
// (Santos & Duarte 2016) on every trial shipped in shared/datasets/bds.
// Run `signal_tests "[bds]"` to see the worst relative errors.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "signal/metrics.h"
#include "signal/recording_io.h"

namespace fs = std::filesystem;
using namespace kiosk::signal;

namespace {

struct Reference {
  double area_cm2 = 0, velo_cm_s = 0, mfreq_hz = 0;
};

// reference_cop.tsv: tab-separated, columns found by name.
std::map<std::string, Reference> read_reference(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  {
    std::istringstream h(line);
    for (std::string col; std::getline(h, col, '\t');) header.push_back(col);
  }
  auto col = [&](const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    REQUIRE(it != header.end());
    return static_cast<std::size_t>(it - header.begin());
  };
  const auto trial = col("Trial"), area = col("COParea"), velo = col("COPvelo"), mfreq = col("COPmfreq");
  std::map<std::string, Reference> out;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::istringstream r(line);
    for (std::string v; std::getline(r, v, '\t');) f.push_back(v);
    if (f.size() != header.size()) continue;
    out[f[trial]] = {std::stod(f[area]), std::stod(f[velo]), std::stod(f[mfreq])};
  }
  return out;
}

double relative_error(double got, double want) { return std::abs(got - want) / std::abs(want); }

}  // namespace

TEST_CASE("sway metrics reproduce the BDS authors' results on every shipped trial", "[bds]") {
  const fs::path bds = fs::path(KIOSK_SOURCE_DIR) / ".." / "shared" / "datasets" / "bds";
  if (!fs::exists(bds / "reference_cop.tsv")) {
    WARN("skipped: " << bds.string() << " not found (shared/ is not beside the source tree)");
    return;
  }
  const auto reference = read_reference(bds / "reference_cop.tsv");
  std::vector<fs::path> trials;
  for (const auto& e : fs::directory_iterator(bds / "trials"))
    if (e.path().extension() == ".txt") trials.push_back(e.path());
  std::sort(trials.begin(), trials.end());
  REQUIRE(trials.size() == 50);

  double worst_area = 0, worst_velo = 0, worst_mfreq = 0;
  std::string worst_area_at, worst_velo_at, worst_mfreq_at;
  for (const auto& file : trials) {
    const auto id = file.stem().string();
    INFO(id);
    REQUIRE(reference.count(id) == 1);
    const auto& want = reference.at(id);
    const auto m = sway_metrics(read_recording(file, RecordingFormat::bds));
    const double area = relative_error(m.area95_mm2 / 100, want.area_cm2);  // mm² → cm²
    const double velo = relative_error(m.velocity_mm_s / 10, want.velo_cm_s);
    const double mfreq = relative_error(m.mean_freq_hz, want.mfreq_hz);
    CHECK(area < 0.001);
    CHECK(velo < 0.001);
    CHECK(mfreq < 0.01);
    if (area > worst_area) worst_area = area, worst_area_at = id;
    if (velo > worst_velo) worst_velo = velo, worst_velo_at = id;
    if (mfreq > worst_mfreq) worst_mfreq = mfreq, worst_mfreq_at = id;
  }
  fmt::print(
      "BDS worst relative error over {} trials: COParea {:.3e} ({}), COPvelo {:.3e} ({}), COPmfreq {:.3e} ({})\n",
      trials.size(), worst_area, worst_area_at, worst_velo, worst_velo_at, worst_mfreq, worst_mfreq_at);
}
