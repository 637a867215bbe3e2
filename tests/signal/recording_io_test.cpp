// Recording readers and the calibrated-CSV writer: round trips, units, and
// every kind of bad input giving an error that names the file and line.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <cmath>
#include <random>
#include <sstream>
#include <string>

#include "signal/cell_layout.h"
#include "signal/recording_io.h"

using namespace kiosk::signal;

namespace {

std::string calibrated_csv(int rows) {
  std::string s = "t_s,fz_n,cop_x_mm,cop_y_mm\n";
  for (int i = 0; i < rows; ++i) s += std::to_string(i * 0.01) + ",700," + std::to_string(i) + ",-2.5\n";
  return s;
}

Recording read_text(const std::string& text, RecordingFormat format = RecordingFormat::automatic) {
  std::istringstream in(text);
  return read_recording(in, "rec.csv", format);
}

std::string error_of(const std::string& text, RecordingFormat format = RecordingFormat::automatic) {
  try {
    read_text(text, format);
  } catch (const RecordingError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("calibrated CSV reads every column in its units") {
  const auto rec = read_text(calibrated_csv(12));
  REQUIRE(rec.size() == 12);
  CHECK(rec.t_s[3] == Approx(0.03));
  CHECK(rec.fz_n[5] == 700);
  CHECK(rec.cop_x_mm[7] == 7);
  CHECK(rec.cop_y_mm[11] == -2.5);
  CHECK_FALSE(rec.has_cells());
  CHECK(rec.rate_hz() == Approx(100));
}

TEST_CASE("columns are found by name, unknown columns are ignored") {
  std::string text = "# kiosk-recording 1\ncop_y_mm,extra,t_s,cop_x_mm,fz_n\n";
  for (int i = 0; i < 10; ++i) text += fmt::format("{},x,{},{},{}\n", -i, i * 0.001, 2 * i, 600 + i);
  const auto rec = read_text(text);
  CHECK(rec.cop_y_mm[4] == -4);
  CHECK(rec.cop_x_mm[4] == 8);
  CHECK(rec.fz_n[4] == 604);
  CHECK(rec.t_s[4] == Approx(0.004));
}

TEST_CASE("writer and reader round-trip exactly") {
  Recording rec;
  rec.source = "mem";
  for (int i = 0; i < 50; ++i) rec.push_back({i / 1000.0 + 1e-7, 701.123456789 + i / 3.0, i * 0.1 / 7, -i / 9.0});
  std::ostringstream out;
  write_calibrated_csv(out, rec);
  CHECK(out.str().rfind("# kiosk-recording 1\nt_s,fz_n,cop_x_mm,cop_y_mm\n", 0) == 0);
  const auto back = read_text(out.str());
  CHECK(back.t_s == rec.t_s);
  CHECK(back.fz_n == rec.fz_n);
  CHECK(back.cop_x_mm == rec.cop_x_mm);
  CHECK(back.cop_y_mm == rec.cop_y_mm);
}

TEST_CASE("BDS text: tab-separated, COP converted from cm to mm") {
  std::string text = "Time[s]\tFx[N]\tFy[N]\tFz[N]\tMx[Nm]\tMy[Nm]\tMz[Nm]\tCOPx[cm]\tCOPy[cm]\r\n";
  for (int i = 1; i <= 20; ++i)
    text += fmt::format("{:.3f}\t-1.6\t-3.7\t{}\t5.3\t43.0\t-0.5\t{}\t-0.25\r\n", i / 100.0, 500 + i, i / 10.0);
  const auto rec = read_text(text);
  REQUIRE(rec.size() == 20);
  CHECK(rec.fz_n[0] == 501);
  CHECK(rec.cop_x_mm[9] == Approx(10.0));  // 1.0 cm
  CHECK(rec.cop_y_mm[9] == Approx(-2.5));
  CHECK(rec.rate_hz() == Approx(100));
  CHECK(error_of(text, RecordingFormat::csv).find("BDS") != std::string::npos);
  CHECK(read_text(text, RecordingFormat::bds).size() == 20);
}

TEST_CASE("raw cells become Fz and COP through a cell layout") {
  CellLayout layout;
  layout.gain_n_per_unit = {0.5, 0.25, 2, 1};
  layout.offset_units = {100, -50, 3, 0};
  std::string text = "t_s,c0,c1,c2,c3\n";
  for (int i = 0; i < 10; ++i) {
    const auto c = load_to_cells(layout, 650 + i, -20 + i, 35 - 2 * i);
    text += fmt::format("{},{},{},{},{}\n", i * 0.001, c[0], c[1], c[2], c[3]);
  }
  auto rec = read_text(text);
  REQUIRE(rec.has_cells());
  CHECK_FALSE(rec.has_load());
  apply_cell_layout(rec, layout);
  CHECK(rec.fz_n[6] == Approx(656));
  CHECK(rec.cop_x_mm[6] == Approx(-14));
  CHECK(rec.cop_y_mm[6] == Approx(23));
}

TEST_CASE("an unloaded plate reports the COP at the centre") {
  const auto s = cells_to_load(CellLayout{}, {1, 2, 3, 4});
  CHECK(s.fz_n == 10);
  CHECK(s.cop_x_mm == 0);
  CHECK(s.cop_y_mm == 0);
}

TEST_CASE("bad recordings are refused with file and line") {
  const auto good = calibrated_csv(12);
  SECTION("NaN") {
    auto text = good;
    text.replace(text.find("700", text.find("0.050000")), 3, "nan");
    CHECK(error_of(text) == "rec.csv:7: fz_n is not a finite number (got 'nan')");
  }
  SECTION("a missing column in the header") {
    CHECK(error_of("t_s,fz_n,cop_x_mm\n0,1,2\n") ==
          "rec.csv:1: missing column 'cop_y_mm' in header 't_s,fz_n,cop_x_mm'");
  }
  SECTION("a short row") {
    auto text = good + "0.5,700,1\n";
    CHECK(error_of(text) == "rec.csv:14: expected 4 fields, got 3");
  }
  SECTION("time going backwards or repeating") {
    auto text = good + "0.11,700,1,2\n";
    CHECK(error_of(text) == "rec.csv:14: time does not increase (0.11 after 0.11)");
  }
  SECTION("too few samples") {
    CHECK(error_of(calibrated_csv(3)) == "rec.csv: too few samples (3; at least 10 needed)");
  }
  SECTION("empty file") { CHECK(error_of("") == "rec.csv: empty file (no header line)"); }
  SECTION("text instead of a number, infinity") {
    CHECK(error_of(good + "0.2,heavy,1,2\n") == "rec.csv:14: fz_n is not a finite number (got 'heavy')");
    CHECK(error_of(good + "0.2,inf,1,2\n") == "rec.csv:14: fz_n is not a finite number (got 'inf')");
  }
  SECTION("a future format version") {
    CHECK(error_of("# kiosk-recording 2\n" + good).find("rec.csv:1: recording format version '2'") == 0);
  }
  SECTION("a file that does not exist") {
    CHECK_THROWS_AS(read_recording(std::filesystem::path("/nonexistent/rec.csv")), RecordingError);
  }
  SECTION("unknown format name") { CHECK_THROWS_AS(parse_recording_format("xls"), RecordingError); }
}

TEST_CASE("random damage to a recording gives a recording or a RecordingError, nothing else") {
  const std::string good = calibrated_csv(40);
  const std::string junk[] = {",", "\t", "\n", "nan", "-", "1e999", "\r\n", "#", "c0", "\xff", "0x1p3", " ", ""};
  std::mt19937 rng(11);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string text = good;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const auto at = rng() % text.size();
      const auto cut = rng() % 4;
      text.replace(at, std::min<std::size_t>(cut, text.size() - at), junk[rng() % std::size(junk)]);
    }
    try {
      const auto rec = read_text(text);
      CHECK(rec.size() >= kMinRecordingSamples);
      for (std::size_t i = 1; i < rec.size(); ++i) REQUIRE(rec.t_s[i] > rec.t_s[i - 1]);
      for (double v : rec.fz_n) REQUIRE(std::isfinite(v));
    } catch (const RecordingError& e) {
      REQUIRE(std::string(e.what()).rfind("rec.csv", 0) == 0);
    }
  }
}
