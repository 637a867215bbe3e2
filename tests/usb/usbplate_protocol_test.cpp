// The wire format: the byte examples in devices/usbplate/PROTOCOL.md, the
// plugin's decoder (plugins/usbplate/protocol.c) and the emulator's encoder
// (devices/usbplate/emulator/wire.cpp) must all agree; and the receive path
// counts and logs what it drops. No device needed.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "usbplate/emulator/wire.h"
#include "usbplate/protocol.h"

namespace wire = kiosk::usbemu::wire;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The bytes of the fenced block after "<!-- test:NAME -->" in PROTOCOL.md.
std::vector<uint8_t> doc_example(const std::string& name) {
  const std::string doc = slurp(KIOSK_SOURCE_DIR "/devices/usbplate/PROTOCOL.md");
  const auto marker = doc.find("<!-- test:" + name + " -->");
  REQUIRE(marker != std::string::npos);
  const auto open = doc.find("```text\n", marker);
  const auto close = doc.find("```", open + 8);
  std::istringstream hex(doc.substr(open + 8, close - open - 8));
  std::vector<uint8_t> out;
  for (std::string byte; hex >> byte;) out.push_back(static_cast<uint8_t>(std::stoul(byte, nullptr, 16)));
  return out;
}

struct LogSink {
  std::vector<std::string> lines;
  static void log(void* ctx, int, const char* m) { static_cast<LogSink*>(ctx)->lines.emplace_back(m); }
};

std::vector<uint8_t> frames(uint32_t first, uint32_t count, uint32_t rate_hz = 1000) {
  std::vector<uint8_t> out;
  for (uint32_t s = first; s < first + count; ++s) {
    const int32_t raw[4] = {int32_t(s), -int32_t(s), 7, 8};
    const auto f = wire::encode_frame(s, s * (1000000 / rate_hz), 0, 0, raw);
    out.insert(out.end(), f.begin(), f.end());
  }
  return out;
}

}  // namespace

TEST_CASE("usb protocol: the CRC is CRC-16/CCITT-FALSE") {
  const uint8_t check[] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
  CHECK(usbplate_crc16(check, sizeof check) == 0x29B1);
}

TEST_CASE("usb protocol: the frame example in PROTOCOL.md decodes and the emulator encodes it the same") {
  const auto bytes = doc_example("frame");
  REQUIRE(bytes.size() == USBPLATE_FRAME_SIZE);
  usbplate_frame f{};
  REQUIRE(usbplate_decode_frame(bytes.data(), &f) == 0);
  CHECK(f.seq == 1);
  CHECK(f.t_us == 1000);
  CHECK(f.status == KP_STATUS_OVERLOAD);
  CHECK(f.raw[0] == 1000);
  CHECK(f.raw[1] == -2);
  CHECK(f.raw[2] == 65536);
  CHECK(f.raw[3] == 2147483647);
  const int32_t raw[4] = {1000, -2, 65536, 2147483647};
  const auto mine = wire::encode_frame(1, 1000, KP_STATUS_OVERLOAD, 0, raw);
  CHECK(std::vector<uint8_t>(mine.begin(), mine.end()) == bytes);
  auto bad = bytes;
  bad[20] ^= 1;
  CHECK(usbplate_decode_frame(bad.data(), &f) != 0);
}

TEST_CASE("usb protocol: the GET_INFO example in PROTOCOL.md is the emulated plate's and decodes") {
  const auto bytes = doc_example("info");
  CHECK(bytes == wire::encode_info(kiosk::usbemu::PlateSpec{}));
  usbplate_info info{};
  char why[128] = "";
  REQUIRE(usbplate_decode_info(bytes.data(), bytes.size(), &info, why, sizeof why) == 0);
  CHECK(std::string(info.serial) == "EMU-0001");
  CHECK(std::string(info.firmware) == "1.0.0");
  CHECK(info.cell_count == 4);
  CHECK(info.cell_x_mm[0] == Approx(-200.0));
  CHECK(info.cell_y_mm[3] == Approx(-150.0));
  CHECK(info.rate_count == 3);
  CHECK(info.rates_hz[2] == 10000);
  CHECK(info.batch_ms == 10);
  CHECK(info.fifo_frames == 1024);
  CHECK(info.newtons_per_count == Approx(0.01));
}

TEST_CASE("usb protocol: a malformed GET_INFO is refused with its reason") {
  auto bytes = wire::encode_info(kiosk::usbemu::PlateSpec{});
  usbplate_info info{};
  char why[128] = "";
  CHECK(usbplate_decode_info(bytes.data(), 60, &info, why, sizeof why) != 0);
  CHECK_THAT(why, Catch::Contains("too short"));
  auto no_serial = bytes;
  no_serial[4] = 0;
  CHECK(usbplate_decode_info(no_serial.data(), no_serial.size(), &info, why, sizeof why) != 0);
  CHECK_THAT(why, Catch::Contains("serial"));
  auto no_rates = bytes;
  no_rates[76] = 0;
  CHECK(usbplate_decode_info(no_rates.data(), no_rates.size(), &info, why, sizeof why) != 0);
  CHECK_THAT(why, Catch::Contains("rate count"));
  auto v2 = bytes;
  v2[2] = 2;
  CHECK(usbplate_decode_info(v2.data(), v2.size(), &info, why, sizeof why) != 0);
}

TEST_CASE("usb protocol: the descriptors in PROTOCOL.md are the emulator's and the umockdev fixture's") {
  const auto bytes = doc_example("descriptors");
  auto mine = wire::device_descriptor();
  const auto config = wire::config_descriptor();
  mine.insert(mine.end(), config.begin(), config.end());
  CHECK(bytes == mine);
  const std::string fixture = slurp(KIOSK_SOURCE_DIR "/devices/usbplate/usbplate.umockdev");
  std::string hex;
  for (uint8_t b : bytes) {
    char two[3];
    std::snprintf(two, sizeof two, "%02X", b);
    hex += two;
  }
  CHECK_THAT(fixture, Catch::Contains("H: descriptors=" + hex + "\n"));
}

TEST_CASE("usb protocol: the receive path delivers in order and counts gaps garbage and short pieces") {
  LogSink sink;
  usbplate_rx rx;
  usbplate_rx_reset(&rx, "usbplate:T", LogSink::log, &sink);
  kp_sample out[USBPLATE_MAX_FRAMES_PER_TRANSFER];

  auto t1 = frames(0, 10);
  CHECK(usbplate_rx_feed(&rx, t1.data(), t1.size(), 0, out, 64) == 10);
  CHECK(out[9].seq == 9);
  CHECK(out[9].t_ns == 9'000'000);
  CHECK(out[9].raw[1] == -9);

  auto t2 = frames(10, 10);
  t2[3 * 32 + 5] ^= 0xFF;    // seq 13 garbled
  t2[4 * 32 + 20] ^= 0x01;   // seq 14 garbled
  t2.resize(t2.size() - 7);  // seq 19 cut short
  CHECK(usbplate_rx_feed(&rx, t2.data(), t2.size(), 1, out, 64) == 7);
  CHECK(rx.counts.frames_garbled == 2);
  CHECK(rx.counts.frames_short == 1);
  CHECK(rx.counts.frames_lost == 2);  // 13 and 14 so far; 19 counts when 20 arrives
  CHECK(sink.lines.size() == 1);      // the garbled burst ended at seq 15
  auto t3 = frames(20, 2);
  auto old = frames(5, 1);
  t3.insert(t3.end(), old.begin(), old.end());  // a stale frame after 21
  CHECK(usbplate_rx_feed(&rx, t3.data(), t3.size(), 2, out, 64) == 2);
  CHECK(rx.counts.frames_lost == 3);
  CHECK(rx.counts.frames_misordered == 1);
  CHECK(sink.lines.size() == 2);  // the short piece ended at seq 20; the stale frame's burst is open
  usbplate_rx_flush_log(&rx);
  REQUIRE(sink.lines.size() == 3);
  CHECK_THAT(sink.lines[0], Catch::Contains("dropped 2 bad frames (garbled=2 short=0 out_of_order=0)"));
  CHECK_THAT(sink.lines[2], Catch::Contains("out_of_order=1"));
  CHECK(rx.counts.frames_ok == 19);
}

TEST_CASE("usb protocol: a long burst of garbage is logged at most once a second") {
  LogSink sink;
  usbplate_rx rx;
  usbplate_rx_reset(&rx, "usbplate:T", LogSink::log, &sink);
  kp_sample out[USBPLATE_MAX_FRAMES_PER_TRANSFER];
  std::vector<uint8_t> junk(USBPLATE_TRANSFER_SIZE, 0xAB);
  for (uint64_t ms = 0; ms < 3000; ms += 10) usbplate_rx_feed(&rx, junk.data(), junk.size(), ms * 1'000'000, out, 64);
  CHECK(rx.counts.frames_garbled == 300 * 64);
  CHECK(sink.lines.size() == 2);  // at 1 s and 2 s; the rest waits for the burst's end
}

TEST_CASE("usb protocol: the device clock wrapping keeps host time increasing") {
  usbplate_rx rx;
  usbplate_rx_reset(&rx, "usbplate:T", nullptr, nullptr);
  kp_sample out[2];
  const int32_t raw[4] = {0, 0, 0, 0};
  auto a = wire::encode_frame(100, 0xFFFFFF00u, 0, 0, raw);
  auto b = wire::encode_frame(101, 0x00000010u, 0, 0, raw);
  std::vector<uint8_t> bytes(a.begin(), a.end());
  bytes.insert(bytes.end(), b.begin(), b.end());
  REQUIRE(usbplate_rx_feed(&rx, bytes.data(), bytes.size(), 0, out, 2) == 2);
  CHECK(out[1].t_ns == ((1ull << 32) + 0x10) * 1000);
  CHECK(out[1].t_ns > out[0].t_ns);
}
