// The plate feed stage on the real sim plugin in its plate host, on the
// sim's virtual clock: a calibration mass (20 kg) put on a known mark of a
// plate whose empty cells read known offsets, with no noise, so every
// stage's numbers are known exactly: time zero, raw units, zero offset,
// gains to force, COP.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kiosk_plate_sim.h"
#include "plates/device_manager.h"
#include "plates/plate_calibration.h"
#include "plates/plate_feed.h"
#include "plates/sim_clock.h"

using namespace kiosk::plates;

namespace {
constexpr const char* kSimId = "sim:SIM-0001";
constexpr double kMass_n = 20 * 9.80665;
// The empty plate reads these counts; after 1 s empty the mass rests 5 s on (60, -80) mm.
constexpr const char* kScene =
    "scenario=placements mass_kg=20 marks=60:-80 zero_s=1 hold_s=5 move_s=1 cell_offsets_counts=400,-800,120,60 "
    "clock=stepped";
constexpr double kOffsets[] = {400, -800, 120, 60};

struct Sim {
  PluginHost host;
  DeviceManager devices{host};
  Sim(const std::string& scene = kScene) {
    REQUIRE(host.load(std::filesystem::path(KIOSK_PLUGIN_DIR) / "sim.so").empty());
    const auto* sim = static_cast<const kp_sim_v1*>(host.loaded()[0].plugin->get_extension(KP_EXT_SIM_V1));
    REQUIRE(sim);
    REQUIRE(sim->set_scenario(scene.c_str()) == KP_OK);
    devices.rescan();
  }
  kiosk::signal::CellLayout nominal() const {
    return std::get<kiosk::signal::CellLayout>(nominal_layout(devices.find(kSimId)->info));
  }
  // Plays `seconds` of plate time and pumps it all through the feed.
  std::vector<FeedSample> play(PlateFeed& feed, double seconds) {
    REQUIRE(advance_sim(host.loaded()[0], seconds) == KP_OK);
    std::vector<FeedSample> got;
    feed.pump([&](const FeedSample& s) {
      got.push_back(s);
      got.back().sample = nullptr;  // valid only inside the sink
      return true;
    });
    return got;
  }
};
}  // namespace

TEST_CASE("plate feed: time starts at the first sample and raw counts become cells, nothing calibrated") {
  Sim sim;
  PlateFeed feed(sim.devices.open(kSimId), FeedOptions::raw_cells("test"));
  feed.start(1000);
  std::vector<uint32_t> seqs;
  REQUIRE(advance_sim(sim.host.loaded()[0], 0.25) == KP_OK);
  feed.pump([&](const FeedSample& s) {
    seqs.push_back(s.sample->seq);
    CHECK(s.t_s == Approx(s.sample->seq * 1e-3).margin(1e-12));  // the stream's own clock, from its first sample
    for (int c = 0; c < 4; ++c) CHECK(s.cells[c] == s.sample->raw[c]);
    return true;
  });
  REQUIRE(seqs.size() == 250);
  CHECK(seqs.front() == 0);
  const auto more = sim.play(feed, 0.05);
  REQUIRE(more.size() == 50);
  CHECK(more.front().t_s == Approx(0.25));
  for (int c = 0; c < 4; ++c) CHECK(more.back().cells[c] == kOffsets[c]);  // the empty plate: raw counts, unzeroed
  CHECK(more.back().load.fz_n == 0);                                       // no layout: no force
  CHECK(more.back().load.t_s == Approx(0.299));

  feed.stop();  // a new stream starts its own time
  feed.start(100);
  const auto again = sim.play(feed, 0.1);
  REQUIRE(again.size() == 10);
  CHECK(again.front().t_s == 0);
  CHECK(again.back().t_s == Approx(0.09));
}

TEST_CASE("plate feed: the layout's zero and gains give the mass's force and its mark as the COP") {
  Sim sim;
  auto calibrated = sim.nominal();  // the sim's gains are its nominal ones; its zero is the offsets
  for (int c = 0; c < 4; ++c) calibrated.offset_units[c] = kOffsets[c];
  auto unzeroed = sim.nominal();
  for (const bool zeroed : {true, false}) {
    FeedOptions options;
    options.layout = zeroed ? calibrated : unzeroed;
    PlateFeed feed(sim.devices.open(kSimId), options);
    feed.start(1000);
    const auto empty = sim.play(feed, 0.9);
    const auto loaded = sim.play(feed, 2.0);
    INFO("zeroed " << zeroed);
    REQUIRE(loaded.size() == 2000);
    const auto& on = loaded.back();  // 2.9 s: the mass at rest on its mark
    CHECK(on.load.t_s == Approx(2.899));
    if (zeroed) {
      CHECK(empty.back().load.fz_n == Approx(0).margin(1e-9));
      CHECK(on.load.fz_n == Approx(kMass_n).margin(0.03));  // counts are whole: 4 × 0.005 N at most
      CHECK(on.load.cop_x_mm == Approx(60).margin(0.1));
      CHECK(on.load.cop_y_mm == Approx(-80).margin(0.1));
    } else {
      CHECK(empty.back().load.fz_n == Approx(-2.2).margin(1e-9));  // (400 − 800 + 120 + 60) counts × 0.01 N
      CHECK(on.load.fz_n == Approx(kMass_n - 2.2).margin(0.03));
    }
  }
}

TEST_CASE("plate feed: an empty start becomes the zero, and the held samples come through it") {
  Sim sim;
  FeedOptions options;
  options.layout = sim.nominal();  // stored zero: 0 counts; the plate now reads the offsets
  options.auto_zero = true;
  PlateFeed feed(sim.devices.open(kSimId), options);
  feed.start(1000);
  CHECK(sim.play(feed, 0.3).empty());  // held: the zero is not decided before kAutoZero_s
  const auto first = sim.play(feed, 0.7);
  REQUIRE(first.size() == 1000);  // then everything, from the first sample on, through the zero
  CHECK(first.front().t_s == 0);
  REQUIRE(feed.zeroed());
  for (int c = 0; c < 4; ++c) CHECK(feed.layout()->offset_units[c] == Approx(kOffsets[c]));
  CHECK(first.front().load.fz_n == Approx(0).margin(1e-9));
  const auto on = sim.play(feed, 2.0).back();
  CHECK(on.load.fz_n == Approx(kMass_n).margin(0.03));
  CHECK(on.load.cop_x_mm == Approx(60).margin(0.1));
}

TEST_CASE("plate feed: a loaded start keeps the stored zero and holds nothing back") {
  Sim sim(
      "scenario=placements mass_kg=20 marks=0:0 zero_s=0 hold_s=5 move_s=1 cell_offsets_counts=800,800,800,800 "
      "clock=stepped");
  FeedOptions options;
  options.layout = sim.nominal();
  options.auto_zero = true;
  PlateFeed feed(sim.devices.open(kSimId), options);
  feed.start(1000);
  const auto got = sim.play(feed, 0.5);
  CHECK(got.size() == 500);  // decided as the mass going down reads over 50 N: the held samples come too
  CHECK_FALSE(feed.zeroed());
  CHECK(got.back().load.fz_n == Approx(kMass_n + 32).margin(0.03));  // 4 cells × 800 counts × 0.01 N of drift
}

TEST_CASE("plate feed: a reader that has had enough stops the pump, and an auto-zero needs a layout") {
  Sim sim;
  FeedOptions no_layout;
  no_layout.auto_zero = true;
  CHECK_THROWS_AS(PlateFeed(sim.devices.open(kSimId), no_layout), std::invalid_argument);

  PlateFeed feed(sim.devices.open(kSimId), FeedOptions::raw_cells("test"));
  feed.start(1000);
  REQUIRE(advance_sim(sim.host.loaded()[0], 0.1) == KP_OK);
  int seen = 0;
  CHECK(feed.pump([&](const FeedSample&) { return ++seen < 10; }) == 10);
  CHECK(feed.pump([](const FeedSample&) { return true; }) == 0);  // the rest of that batch was dropped
}
