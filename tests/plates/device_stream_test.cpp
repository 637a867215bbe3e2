#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "plates/device_stream.h"

using kiosk::plates::DeviceStream;
using kiosk::plates::PlateError;
using kiosk::plates::PluginHost;
using namespace std::chrono_literals;

namespace {
struct Fixture {
  PluginHost host;
  Fixture() { REQUIRE(host.load(std::filesystem::path(FIXTURE_PLUGIN_DIR) / "fixture_ok.so").empty()); }
  const kiosk::plates::LoadedPlugin& plugin() { return host.loaded().at(0); }
};

// Streams until `n` samples arrived (or the stream ended); returns them.
std::vector<kp_sample> collect(DeviceStream& s, size_t n) {
  std::vector<kp_sample> got;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (got.size() < n && !s.stats().ended && std::chrono::steady_clock::now() < deadline) {
    s.drain(got);
    std::this_thread::sleep_for(2ms);
  }
  s.drain(got);
  return got;
}

// Starts at 1 kHz, collects `n` samples (or until the device ends), stops, drains the rest.
std::vector<kp_sample> stream_n(DeviceStream& s, size_t n) {
  s.start(1000);
  auto got = collect(s, n);
  s.stop();
  s.drain(got);
  return got;
}
}  // namespace

TEST_CASE("a steady device streams every sample in order with nothing lost") {
  Fixture f;
  DeviceStream s(f.plugin(), "fixture:steady");
  CHECK(s.info().cell_count == 4);
  const auto got = stream_n(s, 500);
  REQUIRE(got.size() >= 500);
  for (size_t i = 0; i < got.size(); ++i) REQUIRE(got[i].seq == i);
  const auto st = s.stats();
  CHECK(st.lost == 0);
  CHECK(st.misordered == 0);
  CHECK(st.received == got.size());
}

TEST_CASE("sequence gaps are counted as lost samples") {
  Fixture f;
  DeviceStream s(f.plugin(), "fixture:gappy");
  const auto got = stream_n(s, 1000);
  const auto st = s.stats();
  // One number skipped after every 100th sample; a gap shows once the next sample lands.
  CHECK(st.lost == (st.received - 1) / 100);
  CHECK(st.lost >= 9);
}

TEST_CASE("stale sequence numbers are dropped and counted") {
  Fixture f;
  DeviceStream s(f.plugin(), "fixture:misorder");
  const auto got = stream_n(s, 500);
  for (size_t i = 1; i < got.size(); ++i) REQUIRE(got[i].seq > got[i - 1].seq);
  CHECK(s.stats().misordered >= 9);
}

TEST_CASE("an unplug mid-stream ends it with NO_DEVICE and no crash") {
  Fixture f;
  DeviceStream s(f.plugin(), "fixture:unplug");
  s.start(1000);
  auto got = collect(s, 100000);
  const auto st = s.stats();
  CHECK(st.ended);
  CHECK(st.end_reason == KP_ERR_NO_DEVICE);
  CHECK(got.size() == 200);
}

TEST_CASE("errors from the plugin reach the caller with its words") {
  Fixture f;
  CHECK_THROWS_AS(DeviceStream(f.plugin(), "fixture:nonexistent"), PlateError);
  DeviceStream s(f.plugin(), "fixture:steady");
  try {
    s.start(250);
    FAIL("expected PlateError");
  } catch (const PlateError& e) {
    CHECK(e.code() == KP_ERR_ARG);
    CHECK_THAT(e.what(), Catch::Contains("rate must be 100 or 1000 Hz"));
  }
}
