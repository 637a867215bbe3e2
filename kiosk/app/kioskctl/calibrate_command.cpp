// `kioskctl calibrate`: the technician's calibration of a force plate on a
// terminal — the same wizard (plates/calibration_wizard.h) and maths as the
// technician screen — and its records:
//   calibrate --device ID --mass-kg M --positions FILE [--technician NAME] [--unattended]
//   calibrate check --device ID --mass-kg M [--technician NAME] [--unattended]   (daily, ~30 s, centre mark)
//   calibrate status --device ID [--json]      exit 0 when patients may use the plate, 1 when not
//   calibrate history [--device ID] [--json]
//   calibrate certificate ID --out FILE.pdf
// Readings are taken by themselves once the plate is steady, so on a
// terminal the prompts only say what to do; --unattended asks nothing
// (stores an accepted calibration when it passed, a rejected one when not).
// On the simulated plate the sim plays the technician (KIOSK_SIM_PLATE sets
// its speed, e.g. "speed=20"; "clock=stepped" puts it on its virtual clock,
// which this command then plays as fast as it reads, 0.1 s of plate time a
// round: tests). Every run is stored and audited.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include "core/calibration/calibration_policy.h"
#include "core/storage/calibration_store.h"
#include "handout/calibration_certificate.h"
#include "kioskctl/command.h"
#include "plates/calibration_wizard.h"
#include "plates/device_manager.h"
#include "plates/plate_calibration.h"
#include "plates/sim_clock.h"

namespace kiosk::ctl {
namespace {

using calibration::CalibrationRecord;
using Phase = plates::CalibrationWizard::Phase;

struct Options {
  std::string device, positions, technician, out;
  double mass_kg = 0;
  bool unattended = false, json = false;
  std::int64_t id = 0;
};

// A present plate the kiosk's device manager sees (app::Services). Throws naming the id.
const plates::PlateDevice& present_plate(plates::DeviceManager& devices, const std::string& id) {
  const auto* plate = devices.find(id);
  if (!plate || !plate->present)
    throw std::runtime_error(fmt::format("no plate with id {} (see `kioskctl device list`)", id));
  return *plate;
}

bool ask_yes(const std::string& question, bool default_yes) {
  fmt::print("{} [{}] ", question, default_yes ? "Y/n" : "y/N");
  std::fflush(stdout);
  std::string line;
  if (!std::getline(std::cin, line)) return false;  // no answer: no
  if (line.empty()) return default_yes;
  return line[0] == 'y' || line[0] == 'Y';
}

// Pumps the wizard to its report (or refusal), saying what to do as it goes.
// `stepped`: the plate is a sim on its virtual clock, played here instead of waited for.
void run_to_report(plates::CalibrationWizard& wizard, const plates::LoadedPlugin& plate, bool stepped) {
  Phase shown = Phase::report;
  std::size_t shown_mark = SIZE_MAX;
  while (!wizard.finished() && wizard.phase() != Phase::report) {
    wizard.pump();
    if (wizard.phase() != shown || wizard.mark_index() != shown_mark) {
      shown = wizard.phase();
      shown_mark = wizard.mark_index();
      const auto& m = wizard.target();
      if (shown == Phase::zeroing) fmt::print("Zeroing: keep the plate empty and still...\n");
      if (shown == Phase::placing)
        fmt::print("Put the {} kg mass on mark {} of {}, \"{}\" (x {} mm, y {} mm)...\n", wizard.setup().mass_kg,
                   shown_mark + 1, wizard.mark_count(), m.name, m.x_mm, m.y_mm);
      if (shown == Phase::lifting) fmt::print("  read. Lift the mass off.\n");
      std::fflush(stdout);
    }
    if (stepped)
      plates::advance_sim(plate, 0.1);
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void print_report(const CalibrationRecord& r) {
  if (!r.refused.empty()) {
    fmt::print("REFUSED: {}\n", r.refused);
    return;
  }
  const auto& v = r.verification;
  fmt::print("{:<14} {:>7} {:>7} {:>9} {:>9} {:>8}  {}\n", "mark", "x mm", "y mm", "Fz N", "force %", "COP mm", "ok");
  for (const auto& p : v.placements)
    fmt::print("{:<14} {:>7.0f} {:>7.0f} {:>9.2f} {:>+9.3f} {:>8.2f}  {}\n", p.mark.name, p.mark.x_mm, p.mark.y_mm,
               p.fz_n, p.force_error_pct, p.cop_error_mm, p.passed ? "yes" : "NO");
  fmt::print("RMS force error {:.3f} %, COP error {:.2f} mm (allowed ±{} %, {} mm)\n", v.rms_force_pct, v.rms_cop_mm,
             v.thresholds.force_pct, v.thresholds.cop_mm);
  fmt::print("gains N/unit: {:.6f} {:.6f} {:.6f} {:.6f}; zero: {:.1f} {:.1f} {:.1f} {:.1f}\n",
             r.layout.gain_n_per_unit[0], r.layout.gain_n_per_unit[1], r.layout.gain_n_per_unit[2],
             r.layout.gain_n_per_unit[3], r.layout.offset_units[0], r.layout.offset_units[1], r.layout.offset_units[2],
             r.layout.offset_units[3]);
  fmt::print("{}\n", v.passed ? "PASSED" : "NOT PASSED");
}

// Runs one wizard on the plate (a check when `positions` is null), decides, stores. Returns the exit code.
int run(const Context& ctx, const Options& o, const calibration::PositionsFile* positions) {
  const auto& rt = ctx.services().runtime();
  auto& devices = ctx.services().devices();
  const auto& plate = present_plate(devices, o.device);
  auto db = open_database(rt);
  storage::CalibrationStore store(db);
  const bool check = positions == nullptr;
  plates::WizardSetup setup;
  if (check) {
    auto checked = store.latest(plate.info.serial, calibration::RunKind::calibration, true);
    if (!checked)
      throw std::runtime_error(fmt::format("{} has no accepted calibration to check: calibrate it first", o.device));
    setup = plates::check_setup(rt.config, o.mass_kg, std::move(*checked), o.technician);
  } else {
    setup = plates::calibration_setup(rt.config, o.mass_kg, *positions, o.technician);
  }
  const bool sim = plates::act_out_on_sim(*plate.plugin, setup);
  if (sim) fmt::print("{} is simulated: it plays the technician.\n", o.device);
  if (!o.unattended && !sim) {
    fmt::print("Take everything off the plate and press Enter to start.");
    std::fflush(stdout);
    std::string line;
    std::getline(std::cin, line);
  }
  const bool stepped = sim && plates::sim_is_stepped(*plate.plugin);
  plates::CalibrationWizard wizard(devices.open(plate.id()), setup);
  run_to_report(wizard, *plate.plugin, stepped);
  print_report(wizard.record());
  if (wizard.phase() == Phase::report) {
    const bool passed = wizard.record().passed();
    bool keep = passed;
    if (!o.unattended)
      keep = check
                 ? ask_yes("Save this check?", true)
                 : ask_yes(passed ? "Accept this calibration?" : "It did not pass. Accept it anyway?", false) && passed;
    if (check || keep)
      wizard.accept();
    else
      wizard.reject();
  }
  auto record = wizard.record();
  store.save(record, "kioskctl");
  fmt::print("stored as {} {} ({})\n", to_string(record.kind), record.id, to_string(record.status));
  return record.status == calibration::RunStatus::accepted && record.passed() ? kExitOk : kExitFailed;
}

std::string status_words(const calibration::PlateStatus& s) {
  return fmt::format("{}: {}", to_string(s.state), s.reason);
}

}  // namespace

void register_calibrate_commands(CLI::App& app, Context& ctx) {
  static Options o;
  auto* cal = app.add_subcommand("calibrate", "Calibrate a force plate; daily check, status, history, certificate");
  cal->require_subcommand(0, 1);
  cal->add_option("--device", o.device, "Device id (from `kioskctl device list`)");
  cal->add_option("--mass-kg", o.mass_kg, "The known mass, kg")->check(CLI::Range(0.5, 300.0));
  cal->add_option("--positions", o.positions, "Positions file (devices/calibration/five_marks.toml)");
  cal->add_option("--technician", o.technician, "Who calibrates (stored with the record)");
  cal->add_flag("--unattended", o.unattended, "No prompts: follow the file's timing; keep it when it passes");
  cal->callback([&ctx, cal] {
    if (!cal->get_subcommands().empty()) return;
    if (o.device.empty() || o.mass_kg <= 0 || o.positions.empty())
      throw CLI::ValidationError("calibrate", "needs --device ID --mass-kg M --positions FILE");
    auto file = calibration::load_positions(o.positions);
    if (file.name.empty()) file.name = o.positions;
    ctx.exit_code = run(ctx, o, &file);
  });

  auto* check = cal->add_subcommand("check", "Daily spot check: the known mass on the centre mark (~30 s)");
  check->add_option("--device", o.device, "Device id")->required();
  check->add_option("--mass-kg", o.mass_kg, "The known mass, kg")->required()->check(CLI::Range(0.5, 300.0));
  check->add_option("--technician", o.technician, "Who checks");
  check->add_flag("--unattended", o.unattended, "No prompts");
  check->callback([&ctx] { ctx.exit_code = run(ctx, o, nullptr); });

  auto* status = cal->add_subcommand("status", "Whether patients may use a plate, and why not");
  status->add_option("--device", o.device, "Device id")->required();
  status->add_flag("--json", o.json, "Print JSON");
  status->callback([&ctx] {
    const auto& rt = ctx.services().runtime();
    auto& devices = ctx.services().devices();
    const auto& plate = present_plate(devices, o.device);
    auto db = open_database(rt);
    const auto s = plates::PlateCalibrations::from_database(&db, rt.config).status(plate.info.serial);
    if (o.json)
      std::puts(nlohmann::json{{"device", o.device},
                               {"serial", plate.info.serial},
                               {"state", to_string(s.state)},
                               {"usable", s.usable()},
                               {"reason", s.reason},
                               {"expires_at", s.expires_at},
                               {"days_left", s.days_left},
                               {"calibration", s.calibration ? s.calibration->id : 0}}
                    .dump(2)
                    .c_str());
    else
      fmt::print("{} (serial {}): {}\n", o.device, plate.info.serial, status_words(s));
    ctx.exit_code = s.usable() ? kExitOk : kExitFailed;
  });

  auto* history = cal->add_subcommand("history", "Calibrations and checks, newest first");
  history->add_option("--device", o.device, "Only this plate (device id or serial)");
  history->add_flag("--json", o.json, "Print JSON (the stored reports)");
  history->callback([&ctx] {
    const auto rt = ctx.start();
    auto db = open_database(rt);
    std::vector<CalibrationRecord> rows;
    for (auto& r : storage::CalibrationStore(db).history())
      if (o.device.empty() || r.device_id == o.device || r.device_serial == o.device) rows.push_back(std::move(r));
    if (o.json) {
      auto out = nlohmann::json::array();
      for (const auto& r : rows) out.push_back(calibration::to_json(r));
      std::puts(out.dump(2).c_str());
    } else {
      if (rows.empty()) std::puts("no calibrations");
      for (const auto& r : rows)
        fmt::print("{:>4}  {}  {:<11} {:<8} {:<12} {:<12} {:>5} kg  {}  rms {:.3f} % {:.2f} mm{}\n", r.id,
                   r.created_at.substr(0, 19), to_string(r.kind), to_string(r.status), r.device_serial,
                   r.technician.empty() ? "-" : r.technician, r.mass_kg, r.passed() ? "passed" : "FAILED",
                   r.verification.rms_force_pct, r.verification.rms_cop_mm,
                   r.refused.empty() ? "" : "  refused: " + r.refused);
    }
    ctx.exit_code = kExitOk;
  });

  auto* cert = cal->add_subcommand("certificate", "The calibration certificate of one record, as PDF");
  cert->add_option("ID", o.id, "Record id (from `calibrate history`)")->required();
  cert->add_option("--out", o.out, "PDF file to write")->required();
  cert->callback([&ctx] {
    const auto rt = ctx.start();
    auto db = open_database(rt);
    const auto r = storage::CalibrationStore(db).find(o.id);
    if (!r) throw std::runtime_error(fmt::format("no calibration record {} (see `kioskctl calibrate history`)", o.id));
    const auto texts = TextCatalog::load(rt.paths.assets_dir / "strings");
    handout::CertificateOptions options;
    options.paper = rt.config.paper;
    options.lang = rt.config.language;
    options.clinic_name = rt.config.clinic_name;
    options.logo =
        rt.config.clinic_logo.empty() ? rt.paths.assets_dir / "branding" / "logo.svg" : rt.config.clinic_logo;
    options.expiry_days = rt.config.calibration_expiry_days;
    const auto result = handout::render_certificate(*r, texts, options, o.out);
    fmt::print("{}: certificate of {} {}, {} bytes\n", o.out, to_string(r->kind), r->id, result.bytes);
    ctx.exit_code = kExitOk;
  });
}

}  // namespace kiosk::ctl
