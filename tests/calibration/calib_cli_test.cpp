// `kioskctl calibrate` end to end on the simulated plate (a real plugin
// through the ABI, playing the technician): calibrate, status, check,
// history, certificate, and the refusals — the real binary, a real database.
#include <catch2/catch.hpp>

#include <fstream>

#include "support/process.h"
#include "support/temp_dir.h"

using kiosk::test::kioskctl_with_plugins;
using kiosk::test::run;
using kiosk::test::TempDir;

namespace {

// A plate 20 % off nominal on some cells, with offsets and noise, on its virtual clock (kioskctl plays it).
const std::string kPlate =
    "KIOSK_SIM_PLATE='clock=stepped cell_gains_pct=20,-15,8,-20 cell_offsets_counts=400,-800,120,60 noise_n=0.5'";

std::string ctl(const TempDir& dir, const std::string& args) {
  return kioskctl_with_plugins(dir.path().string(), KIOSK_PLUGIN_DIR, args);
}

std::string calibrate(const std::string& positions, const std::string& extra = "") {
  return "calibrate --device sim:SIM-0001 --mass-kg 20 --positions " + positions + " --technician Ana --unattended " +
         extra;
}

}  // namespace

TEST_CASE("calib cli: calibrate then status check history and certificate on the simulated plate") {
  TempDir dir;
  const std::string five = KIOSK_SOURCE_DIR "/devices/calibration/five_marks.toml";
  auto before = run(ctl(dir, "calibrate status --device sim:SIM-0001"));
  CHECK(before.exit_code == 1);
  CHECK_THAT(before.out, Catch::Contains("uncalibrated: no calibration on record"));

  const auto r = run(ctl(dir, calibrate(five)), kPlate);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("PASSED"));
  CHECK_THAT(r.out, Catch::Contains("stored as calibration 1 (accepted)"));

  const auto status = run(ctl(dir, "calibrate status --device sim:SIM-0001 --json"));
  CHECK(status.exit_code == 0);
  const auto s = nlohmann::json::parse(status.out);
  CHECK(s["state"] == "calibrated");
  CHECK(s["days_left"] == 179);

  const auto check = run(ctl(dir, "calibrate check --device sim:SIM-0001 --mass-kg 20 --unattended"), kPlate);
  INFO(check.out << check.err);
  CHECK(check.exit_code == 0);
  CHECK_THAT(check.out, Catch::Contains("stored as check 2 (accepted)"));
  // The plate changed since (every cell reads 3 % more than when calibrated): the check fails and says so.
  const auto wrong = run(ctl(dir, "calibrate check --device sim:SIM-0001 --mass-kg 20 --unattended"),
                         "KIOSK_SIM_PLATE='clock=stepped cell_gains_pct=16.5,-17.5,4.9,-22.3 "
                         "cell_offsets_counts=400,-800,120,60 noise_n=0.5'");
  CHECK(wrong.exit_code == 1);
  CHECK_THAT(wrong.out, Catch::Contains("NOT PASSED"));
  const auto after = run(ctl(dir, "calibrate status --device sim:SIM-0001"));
  CHECK(after.exit_code == 1);
  CHECK_THAT(after.out, Catch::Contains("check_failed"));

  const auto history = run(ctl(dir, "calibrate history --device sim:SIM-0001 --json"));
  REQUIRE(history.exit_code == 0);
  const auto h = nlohmann::json::parse(history.out);
  REQUIRE(h.size() == 3);
  const auto& cal = h[2];
  CHECK(cal["kind"] == "calibration");
  CHECK(cal["technician"] == "Ana");
  CHECK(cal["device"]["serial"] == "SIM-0001");
  CHECK(cal["marks"].size() == 5);
  CHECK(cal["placements"].size() == 5);
  CHECK(cal["verification"]["placements"].size() == 5);
  CHECK(cal["passed"] == true);
  // The true gains of the simulated cells, recovered through the real plugin, ring and wizard.
  const double nominal = 0.01, truth[] = {1.20, 0.85, 1.08, 0.80};
  for (int c = 0; c < 4; ++c)
    CHECK(cal["layout"]["gain_n_per_unit"][c].get<double>() / (nominal * truth[c]) == Approx(1).margin(0.002));
  CHECK(h[0]["kind"] == "check");
  CHECK(h[0]["passed"] == false);

  const auto audit = run(ctl(dir, "audit list"));
  CHECK_THAT(audit.out, Catch::Contains("calibration_saved"));
  CHECK_THAT(audit.out, Catch::Contains("calibration_check"));

  const auto pdf = dir / "cert.pdf";
  const auto cert = run(ctl(dir, "calibrate certificate 1 --out " + pdf.string()));
  INFO(cert.err);
  REQUIRE(cert.exit_code == 0);
  std::ifstream in(pdf, std::ios::binary);
  std::string head(5, '\0');
  in.read(head.data(), 5);
  CHECK(head == "%PDF-");
  CHECK(run(ctl(dir, "calibrate certificate 99 --out " + pdf.string())).exit_code == 2);
}

TEST_CASE("calib cli: marks that cannot tell the cells apart are refused and stored as refused") {
  TempDir dir;
  const auto file = dir / "centre.toml";
  std::ofstream(file) << "format = 1\nname = \"all centre\"\n[timing]\nzero_s = 4\nhold_s = 5\nmove_s = 1\n"
                      << "[[mark]]\nname=\"a\"\nx_mm=0\ny_mm=0\n[[mark]]\nname=\"b\"\nx_mm=0\ny_mm=0\n"
                      << "[[mark]]\nname=\"c\"\nx_mm=0\ny_mm=0\n[[mark]]\nname=\"d\"\nx_mm=0\ny_mm=0\n"
                      << "[[mark]]\nname=\"e\"\nx_mm=0\ny_mm=0\n";
  const auto r = run(ctl(dir, calibrate(file.string())), kPlate);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("REFUSED: the marks cannot tell the four cells apart"));
  CHECK_THAT(r.out, Catch::Contains("(refused)"));
  CHECK(run(ctl(dir, "calibrate status --device sim:SIM-0001")).exit_code == 1);
  // A rocking mass: the readings never settle within the timeout.
  const auto rocking = run(ctl(dir, calibrate(KIOSK_SOURCE_DIR "/devices/calibration/five_marks.toml")),
                           "KIOSK_SIM_PLATE='clock=stepped wobble_n=20'");
  CHECK(rocking.exit_code == 1);
  CHECK_THAT(rocking.out, Catch::Contains("REFUSED: mark centre: no steady reading of the mass"));
  // Bad input names the file and line.
  std::ofstream(dir / "bad.toml") << "format = 1\n[[mark]]\nname = \"a\"\nx_mm = \"left\"\n";
  const auto bad = run(ctl(dir, calibrate((dir / "bad.toml").string())));
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("bad.toml:4: mark[1].x_mm: must be a number"));
}
