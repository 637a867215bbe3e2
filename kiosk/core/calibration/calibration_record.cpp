#include "core/calibration/calibration_record.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <stdexcept>

namespace kiosk::calibration {
namespace {

nlohmann::json cells(const signal::CellValues& v) { return {v[0], v[1], v[2], v[3]}; }
signal::CellValues cells_from(const nlohmann::json& j) {
  signal::CellValues v{};
  if (!j.is_array() || j.size() != v.size()) throw std::runtime_error("expected four cell values");
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = j.at(i).get<double>();
  return v;
}
// JSON has no infinity: an unmeasured spread is written as null.
nlohmann::json finite(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }
double finite_from(const nlohmann::json& j) { return j.is_null() ? INFINITY : j.get<double>(); }

nlohmann::json reading_json(const Reading& r) {
  return {{"mean_raw", cells(r.mean)},
          {"duration_s", r.duration_s},
          {"spread_n", finite(r.spread_n)},
          {"tolerance_n", r.tolerance_n},
          {"samples", r.samples}};
}
Reading reading_from(const nlohmann::json& j) {
  Reading r;
  r.mean = cells_from(j.at("mean_raw"));
  r.duration_s = j.at("duration_s").get<double>();
  r.spread_n = finite_from(j.at("spread_n"));
  r.tolerance_n = j.at("tolerance_n").get<double>();
  r.samples = j.at("samples").get<std::size_t>();
  return r;
}

}  // namespace

std::string_view to_string(RunKind kind) { return kind == RunKind::check ? "check" : "calibration"; }
std::string_view to_string(RunStatus status) {
  switch (status) {
    case RunStatus::accepted:
      return "accepted";
    case RunStatus::rejected:
      return "rejected";
    case RunStatus::refused:
      return "refused";
  }
  return "refused";
}
std::optional<RunKind> parse_run_kind(std::string_view t) {
  if (t == "calibration") return RunKind::calibration;
  if (t == "check") return RunKind::check;
  return std::nullopt;
}
std::optional<RunStatus> parse_run_status(std::string_view t) {
  for (auto s : {RunStatus::accepted, RunStatus::rejected, RunStatus::refused})
    if (to_string(s) == t) return s;
  return std::nullopt;
}

nlohmann::json to_json(const CalibrationRecord& r) {
  nlohmann::json marks = nlohmann::json::array(), placements = nlohmann::json::array(),
                 checks = nlohmann::json::array();
  for (const auto& m : r.marks) marks.push_back({{"name", m.name}, {"x_mm", m.x_mm}, {"y_mm", m.y_mm}});
  for (const auto& p : r.placements) placements.push_back(reading_json(p));
  for (const auto& c : r.verification.placements)
    checks.push_back({{"mark", c.mark.name},
                      {"fz_n", c.fz_n},
                      {"cop_x_mm", c.cop_x_mm},
                      {"cop_y_mm", c.cop_y_mm},
                      {"force_error_pct", c.force_error_pct},
                      {"cop_error_mm", c.cop_error_mm},
                      {"passed", c.passed}});
  const auto& v = r.verification;
  return {{"format", kRecordFormat},
          {"id", r.id},
          {"kind", to_string(r.kind)},
          {"status", to_string(r.status)},
          {"device", {{"serial", r.device_serial}, {"id", r.device_id}, {"model", r.device_model}}},
          {"technician", r.technician},
          {"created_at", r.created_at},
          {"mass_kg", r.mass_kg},
          {"positions", r.positions_name},
          {"marks", marks},
          {"zero", reading_json(r.zero)},
          {"placements", placements},
          {"layout",
           {{"half_span_x_mm", r.layout.half_span_x_mm},
            {"half_span_y_mm", r.layout.half_span_y_mm},
            {"gain_n_per_unit", cells(r.layout.gain_n_per_unit)},
            {"offset_units", cells(r.layout.offset_units)}}},
          {"condition", finite(r.condition)},
          {"verification",
           {{"placements", checks},
            {"rms_force_pct", v.rms_force_pct},
            {"rms_cop_mm", v.rms_cop_mm},
            {"max_force_pct", v.max_force_pct},
            {"max_cop_mm", v.max_cop_mm},
            {"thresholds", {{"force_pct", v.thresholds.force_pct}, {"cop_mm", v.thresholds.cop_mm}}},
            {"passed", v.passed}}},
          {"passed", r.passed()},
          {"refused", r.refused},
          {"checks_calibration", r.checks_calibration}};
}

CalibrationRecord record_from_json(const nlohmann::json& j) {
  try {
    if (j.at("format").get<int>() != kRecordFormat)
      throw std::runtime_error(
          fmt::format("format {} (this program reads {})", j.at("format").get<int>(), kRecordFormat));
    CalibrationRecord r;
    r.id = j.at("id").get<std::int64_t>();
    const auto kind = parse_run_kind(j.at("kind").get<std::string>());
    const auto status = parse_run_status(j.at("status").get<std::string>());
    if (!kind || !status) throw std::runtime_error("unknown kind or status");
    r.kind = *kind;
    r.status = *status;
    r.device_serial = j.at("device").at("serial").get<std::string>();
    r.device_id = j.at("device").at("id").get<std::string>();
    r.device_model = j.at("device").at("model").get<std::string>();
    r.technician = j.at("technician").get<std::string>();
    r.created_at = j.at("created_at").get<std::string>();
    r.mass_kg = j.at("mass_kg").get<double>();
    r.positions_name = j.at("positions").get<std::string>();
    for (const auto& m : j.at("marks")) r.marks.push_back({m.at("name"), m.at("x_mm"), m.at("y_mm")});
    r.zero = reading_from(j.at("zero"));
    for (const auto& p : j.at("placements")) r.placements.push_back(reading_from(p));
    const auto& l = j.at("layout");
    r.layout.half_span_x_mm = l.at("half_span_x_mm").get<double>();
    r.layout.half_span_y_mm = l.at("half_span_y_mm").get<double>();
    r.layout.gain_n_per_unit = cells_from(l.at("gain_n_per_unit"));
    r.layout.offset_units = cells_from(l.at("offset_units"));
    r.condition = finite_from(j.at("condition"));
    const auto& v = j.at("verification");
    for (const auto& c : v.at("placements")) {
      PlacementCheck pc;
      pc.mark.name = c.at("mark").get<std::string>();
      for (const auto& m : r.marks)
        if (m.name == pc.mark.name) pc.mark = m;
      pc.fz_n = c.at("fz_n");
      pc.cop_x_mm = c.at("cop_x_mm");
      pc.cop_y_mm = c.at("cop_y_mm");
      pc.force_error_pct = c.at("force_error_pct");
      pc.cop_error_mm = c.at("cop_error_mm");
      pc.passed = c.at("passed");
      r.verification.placements.push_back(pc);
    }
    r.verification.rms_force_pct = v.at("rms_force_pct");
    r.verification.rms_cop_mm = v.at("rms_cop_mm");
    r.verification.max_force_pct = v.at("max_force_pct");
    r.verification.max_cop_mm = v.at("max_cop_mm");
    r.verification.thresholds = {v.at("thresholds").at("force_pct"), v.at("thresholds").at("cop_mm")};
    r.verification.passed = v.at("passed");
    r.refused = j.at("refused").get<std::string>();
    r.checks_calibration = j.value("checks_calibration", std::int64_t{0});
    return r;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(fmt::format("calibration report: {}", e.what()));
  }
}

}  // namespace kiosk::calibration
