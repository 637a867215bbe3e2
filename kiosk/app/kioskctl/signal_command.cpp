// `kioskctl metrics FILE` and `kioskctl detect FILE --detector NAME`: the
// signal library on a recording (calibrated CSV, raw cells or BDS). Pure
// computation: no config, database or logs are touched.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <string>

#include "kioskctl/command.h"
#include "signal/cell_layout.h"
#include "signal/metrics.h"
#include "signal/recording_detectors.h"
#include "signal/recording_io.h"

namespace kiosk::ctl {
namespace {

struct SignalOptions {
  std::string file;
  std::string format = "auto";
  std::string detector;
  bool json = false;
};

// Raw-cell recordings are read with the nominal layout (1 N per unit, no
// offset) until the plate's calibration can be named here.
signal::Recording load(const SignalOptions& o) {
  auto rec = signal::read_recording(o.file, signal::parse_recording_format(o.format));
  if (!rec.has_load()) signal::apply_cell_layout(rec, signal::CellLayout{});
  return rec;
}

nlohmann::ordered_json to_json(const std::vector<signal::DetectorEvent>& events) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& e : events)
    out.push_back({{"t_s", e.t_s}, {"kind", std::string(e.kind)}, {"value", e.value}, {"confidence", e.confidence}});
  return out;
}

void print(const nlohmann::ordered_json& result, bool json) {
  if (json) {
    std::puts(result.dump(2).c_str());
    return;
  }
  for (const auto& [key, value] : result.items())
    if (key != "events") fmt::print("{:<16} {}\n", key, value.dump());
  if (result.contains("events"))
    for (const auto& e : result["events"])
      fmt::print("  {:>9.3f} s  {:<20} {:>10.2f}  confidence {:.2f}\n", e["t_s"].get<double>(),
                 e["kind"].get<std::string>(), e["value"].get<double>(), e["confidence"].get<double>());
}

void run_metrics(const SignalOptions& o) {
  const auto m = signal::sway_metrics(load(o));
  nlohmann::ordered_json out{{"samples", m.samples}, {"duration_s", m.duration_s}};
  for (const auto& [name, value] : signal::named_sway_measures(m)) out[std::string(name)] = value;
  print(out, o.json);
}

// The detectors by the names scripts use (scripts/README.md); the names of
// kioskctl 0.1 still work, with a note on stderr, until kioskctl 1.0.
constexpr std::pair<std::string_view, std::string_view> kOldDetectorNames[] = {
    {"heel_raise_reps", "heel_raise_count"}, {"single_leg_touchdown", "single_leg_stance"}};

std::string current_detector_name(const std::string& name) {
  for (const auto& [old_name, current] : kOldDetectorNames)
    if (name == old_name) {
      std::fprintf(stderr, "kioskctl: --detector %s is deprecated; use %s\n", name.c_str(),
                   std::string(current).c_str());
      return std::string(current);
    }
  return name;
}

void run_detect(const SignalOptions& o) {
  const auto rec = load(o);
  if (current_detector_name(o.detector) == "heel_raise_count") {
    const auto r = signal::count_heel_raises(rec);
    print({{"reps", r.reps}, {"end_reason", r.end_reason}, {"confidence", r.confidence}, {"events", to_json(r.events)}},
          o.json);
    return;
  }
  // No cap: the whole recording is the stance unless a touch-down ends it.
  const auto r = signal::single_leg_stance(rec, std::numeric_limits<double>::infinity());
  const auto or_null = [](const std::optional<double>& v) {
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
  };
  print({{"touchdown_s", or_null(r.touchdown_s)},
         {"body_weight_n", or_null(r.body_weight_n)},
         {"confidence", r.confidence},
         {"events", to_json(r.events)}},
        o.json);
}

}  // namespace

void register_signal_commands(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<SignalOptions>();
  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("FILE", options->file, "Recording: calibrated CSV, raw-cell CSV or BDS text")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--format", options->format, "csv, bds or auto (from the header)")
        ->check(CLI::IsMember({"csv", "bds", "auto"}));
    cmd->add_flag("--json", options->json, "Print one JSON object");
  };

  auto* metrics = app.add_subcommand("metrics", "Sway metrics of a recording (as defined for the BDS data set)");
  add_common(metrics);
  metrics->callback([options, &ctx] {
    run_metrics(*options);
    ctx.exit_code = kExitOk;
  });

  auto* detect = app.add_subcommand("detect", "Run a plate detector over a recording");
  add_common(detect);
  detect
      ->add_option("--detector", options->detector,
                   "heel_raise_count or single_leg_stance (the scripts' names; heel_raise_reps and "
                   "single_leg_touchdown are deprecated)")
      ->required()
      ->check(CLI::IsMember({"heel_raise_count", "single_leg_stance", "heel_raise_reps", "single_leg_touchdown"}));
  detect->callback([options, &ctx] {
    run_detect(*options);
    ctx.exit_code = kExitOk;
  });
}

}  // namespace kiosk::ctl
