#include "core/session/session_json.h"

#include <nlohmann/json.hpp>

namespace kiosk::session {
namespace {
using nlohmann::json;

std::string text_at(const json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool bool_at(const json& object, const char* key, bool otherwise) {
  if (!object.is_object()) return otherwise;
  const auto it = object.find(key);
  return it != object.end() && it->is_boolean() ? it->get<bool>() : otherwise;
}

std::vector<std::string> strings_at(const json& object, const char* key) {
  std::vector<std::string> out;
  if (!object.is_object() || !object.contains(key) || !object[key].is_array()) return out;
  for (const auto& v : object[key])
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

const json& array_at(const json& object, const char* key) {
  static const json kEmpty = json::array();
  if (!object.is_object()) return kEmpty;
  const auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : kEmpty;
}

// A "plate" block; nullopt when absent or without a device id (older documents, manual parts).
std::optional<PlateUsed> plate_from_json(const json& p) {
  if (!p.is_object() || text_at(p, "device_id").empty()) return std::nullopt;
  PlateUsed plate{text_at(p, "device_id"),
                  text_at(p, "plugin"),
                  text_at(p, "vendor"),
                  text_at(p, "model"),
                  text_at(p, "serial"),
                  text_at(p, "firmware"),
                  text_at(p, "calibration_state"),
                  text_at(p, "calibrated_at")};
  if (const auto id = p.find("calibration_id"); id != p.end() && id->is_number_integer())
    plate.calibration_id = id->get<std::int64_t>();
  return plate;
}

json to_json(const PlateUsed& p) {
  return {{"device_id", p.device_id},
          {"plugin", p.plugin},
          {"vendor", p.vendor},
          {"model", p.model},
          {"serial", p.serial},
          {"firmware", p.firmware},
          {"calibration_state", p.calibration_state},
          {"calibrated_at", p.calibrated_at},
          {"calibration_id", p.calibration_id}};
}

std::optional<ScriptPart> part_from_json(const json& p) {
  if (!p.is_object()) return std::nullopt;
  ScriptPart part;
  part.test = text_at(p, "test");
  part.version = text_at(p, "version");
  for (const auto& m : array_at(p, "measures"))
    if (m.is_object() && m.contains("value") && m["value"].is_number())
      part.measures.push_back({text_at(m, "id"), text_at(m, "side"), m["value"].get<double>(), text_at(m, "unit")});
  part.findings = strings_at(p, "findings");
  part.flags = strings_at(p, "flags");
  part.interpretation = text_at(p, "interpretation");
  if (p.contains("answers")) part.answers = answers_from_json(p["answers"]);
  if (p.contains("plate")) part.plate = plate_from_json(p["plate"]);
  return part;
}

}  // namespace

json to_json(const Answer& answer) {
  return std::visit([](const auto& v) { return json(v); }, answer);
}

json to_json(const Answers& answers) {
  auto out = json::object();
  for (const auto& [ask, value] : answers) out[ask] = to_json(value);
  return out;
}

std::optional<Answer> answer_from_json(const json& v) {
  if (v.is_boolean()) return Answer(v.get<bool>());
  if (v.is_number()) return Answer(v.get<double>());
  if (v.is_string()) return Answer(v.get<std::string>());
  if (!v.is_array()) return std::nullopt;
  std::vector<double> attempts;
  for (const auto& x : v) {
    if (!x.is_number()) return std::nullopt;
    attempts.push_back(x.get<double>());
  }
  return Answer(std::move(attempts));
}

Answers answers_from_json(const json& object) {
  Answers out;
  if (!object.is_object()) return out;
  for (const auto& [ask, value] : object.items())
    if (auto a = answer_from_json(value)) out.emplace(ask, std::move(*a));
  return out;
}

json to_json(const ScriptPart& p) {
  auto measures = json::array();
  for (const auto& m : p.measures)
    measures.push_back(
        {{"id", m.id}, {"side", m.side.empty() ? json(nullptr) : json(m.side)}, {"value", m.value}, {"unit", m.unit}});
  json out{{"test", p.test},
           {"version", p.version},
           {"measures", measures},
           {"findings", p.findings},
           {"flags", p.flags},
           {"interpretation", p.interpretation},
           {"answers", to_json(p.answers)}};
  if (p.plate) out["plate"] = to_json(*p.plate);
  return out;
}

json to_json(const safety::SessionSafety& s) {
  auto flags = json::array();
  for (const auto& f : s.flags()) {
    json flag{{"raised_by", f.raised_by}, {"answer", f.answer}, {"from_answer", f.from_answer}};
    if (f.overridden()) flag["override"] = {{"reason", f.override_reason}, {"at", f.override_at}};
    flags.push_back(std::move(flag));
  }
  auto excluded = json::array();
  for (auto n : s.excluded_needs().list()) excluded.push_back(to_string(n));
  return {{"state", to_string(s.state())},
          {"flags", flags},
          {"one_leg_unsafe", s.one_leg_unsafe()},
          {"excluded_needs", excluded},
          {"unscreened_reason", s.unscreened_reason()}};
}

safety::SessionSafety safety_from_json(const json& block) {
  safety::SessionSafety s;
  if (!block.is_object()) {  // no safety block: unscreened, and not safe on one leg
    s.one_leg_unsafe_found();
    return s;
  }
  for (const auto& f : array_at(block, "flags")) {
    if (!f.is_object() || !f.value("raised_by", json()).is_string()) continue;
    safety::RedFlag flag{
        f["raised_by"].get<std::string>(), text_at(f, "answer"), bool_at(f, "from_answer", false), {}, {}};
    if (const auto o = f.value("override", json()); o.is_object()) {
      flag.override_reason = text_at(o, "reason");
      flag.override_at = text_at(o, "at");
    }
    s.restore(std::move(flag));
  }
  if (bool_at(block, "one_leg_unsafe", true)) s.one_leg_unsafe_found();  // absent or garbled: the safe side
  const auto state = text_at(block, "state");
  const bool flags_readable = block.contains("flags") && block["flags"].is_array();  // else damaged: never cleared
  if (state == to_string(safety::SafetyState::cleared) && flags_readable) s.screening_finished();
  if (state == to_string(safety::SafetyState::unscreened))
    if (auto why = text_at(block, "unscreened_reason"); !why.empty()) s.screening_failed(std::move(why));
  return s;
}

json to_json(const Session& s) {
  auto tests = json::array();
  for (const auto& t : s.tests) tests.push_back(to_json(t));
  auto skipped = json::array();
  for (const auto& k : s.skipped) skipped.push_back({{"test", k.test}, {"reason", k.reason}});
  auto unavailable = json::array();
  for (const auto& u : s.unavailable) {
    json entry{{"file", u.file}, {"error", u.error}};
    if (!u.test.empty()) entry["test"] = u.test;
    unavailable.push_back(std::move(entry));
  }
  json out{{"api", s.api},
           {"lang", s.lang},
           {"screening", s.screening ? to_json(*s.screening) : json(nullptr)},
           {"profile", s.profile ? to_json(*s.profile) : json(nullptr)},
           {"tests", std::move(tests)},
           {"skipped", std::move(skipped)},
           {"unavailable", std::move(unavailable)},
           {"findings", s.findings},
           {"refer_findings", s.refer_findings},
           {"safety", to_json(s.safety)},
           {"stopped", !s.safety.allows_tests()}};  // kept for readers of format 1
  if (!s.visit_code.empty()) out["visit_code"] = s.visit_code;
  return out;
}

Session session_from_json(const json& d) {
  Session s;
  if (!d.is_object()) return s;
  s.api = d.contains("api") && d["api"].is_number_integer() ? d["api"].get<int>() : 0;
  s.lang = text_at(d, "lang");
  if (d.contains("screening")) s.screening = part_from_json(d["screening"]);
  if (d.contains("profile")) s.profile = part_from_json(d["profile"]);
  for (const auto& t : array_at(d, "tests"))
    if (auto part = part_from_json(t)) s.tests.push_back(std::move(*part));
  for (const auto& k : array_at(d, "skipped")) s.skipped.push_back({text_at(k, "test"), text_at(k, "reason")});
  for (const auto& u : array_at(d, "unavailable"))
    s.unavailable.push_back({text_at(u, "file"), text_at(u, "test"), text_at(u, "error")});
  s.findings = strings_at(d, "findings");
  s.refer_findings = strings_at(d, "refer_findings");
  s.safety = safety_from_json(d.is_object() && d.contains("safety") ? d["safety"] : json());
  s.visit_code = text_at(d, "visit_code");
  return s;
}

}  // namespace kiosk::session
