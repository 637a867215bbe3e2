#include "core/export/fhir_bundle.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <set>

#include "core/export/fhir_codes.h"
#include "core/safety/session_safety.h"
#include "core/session/session_json.h"
#include "core/url.h"

namespace kiosk::records_export {
namespace {

using nlohmann::json;
using storage::StoredSession;

constexpr std::string_view kSnomed = "http://snomed.info/sct";
constexpr std::string_view kObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";

constexpr std::string_view kLoinc = "http://loinc.org";

// Standard codes next to the local ones, where one exists for what the kiosk
// measures (checked at loinc.org; a measure not listed has none we trust):
//   66569-5 "Time participant holds position during first one leg stand" (s),
//   in the PhenX balance protocol panel 64388-2 (Health ABC One Leg Stand,
//   eyes open) — the kiosk's single-leg stance time.
struct StandardCode {
  std::string_view measure;  // "<test>.<measure>"
  std::string_view system, code, display;
};
constexpr std::array<StandardCode, 1> kStandardCodes{{
    {"single_leg_balance.stance_s", kLoinc, "66569-5", "Time participant holds position during first one leg stand"},
}};

// SNOMED CT body structures for the side a test was done on.
json body_site(const std::string& side) {
  if (side == "left") return concept_of(coding(kSnomed, "22335008", "Structure of left foot"), "left");
  if (side == "right") return concept_of(coding(kSnomed, "7769000", "Structure of right foot"), "right");
  return nullptr;
}

// 64-bit FNV-1a (a stable hash for identifiers, not for security).
std::uint64_t fnv1a(std::string_view text, std::uint64_t basis) {
  for (unsigned char c : text) {
    basis ^= c;
    basis *= 0x100000001b3ULL;
  }
  return basis;
}

// A name-based UUID (RFC 9562 version 8 layout) from `name`.
std::string name_uuid(std::string_view name) {
  const std::uint64_t hi = fnv1a(name, 0xcbf29ce484222325ULL);
  const std::uint64_t lo = fnv1a(name, 0x84222325cbf29ce4ULL ^ hi);
  const std::uint64_t a = (hi & 0xffffffffffff0fffULL) | 0x8000ULL;              // version 8
  const std::uint64_t b = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xffff, b >> 48,
                     b & 0xffffffffffffULL);
}

std::string base64(const std::vector<std::uint8_t>& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const std::uint32_t n = (std::uint32_t{bytes[i]} << 16) |
                            (i + 1 < bytes.size() ? std::uint32_t{bytes[i + 1]} << 8 : 0) |
                            (i + 2 < bytes.size() ? std::uint32_t{bytes[i + 2]} : 0);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

// A transaction entry: POST, created only if nothing holds the resource's (first) identifier yet.
void conditional_create(json& entry) {
  const auto& r = entry["resource"];
  const auto& ident = r["identifier"].is_array() ? r["identifier"][0] : r["identifier"];
  entry["request"] = {{"method", "POST"},
                      {"url", r["resourceType"]},
                      {"ifNoneExist", "identifier=" + percent_encoded(ident["system"].get<std::string>()) + "%7C" +
                                          percent_encoded(ident["value"].get<std::string>())}};
}

// Which version of this mapping made a resource (fhir_bundle.h).
json profile_meta() { return {{"tag", json::array({coding(kProfileSystem, std::to_string(kFhirExportVersion))})}}; }

// A Questionnaire as a Bundle entry; its id from its canonical url and version.
json questionnaire_entry(const QuestionnaireDef& def) {
  auto r = fhir_questionnaire(def);
  const auto id = name_uuid(fmt::format("{}|{}", questionnaire_url(def.script_id), def.version));
  r["id"] = id;
  r["meta"] = profile_meta();
  return {{"fullUrl", "urn:uuid:" + id}, {"resource", std::move(r)}};
}

// ---- the plates: one Device per physical plate, one DeviceMetric per calibration of it

json plate_identifier(const std::string& device_id) {
  json id = json::object();
  id["system"] = kPlateSystem;
  id["value"] = device_id;
  return id;
}

// "Acme ForcePlate 2, serial FP-0042" (for people reading a reference).
std::string plate_words(const session::PlateUsed& p) {
  std::string words = p.vendor.empty() ? p.model : p.vendor + " " + p.model;
  if (!p.serial.empty()) words += fmt::format(", serial {}", p.serial);
  return words.empty() ? p.device_id : words;
}

json device_reference(const session::PlateUsed& p) {
  json ref = json::object();
  ref["type"] = "Device";
  ref["identifier"] = plate_identifier(p.device_id);
  ref["display"] = plate_words(p);
  return ref;
}

// The calibration state as FHIR's DeviceMetric calibration state (calibration::PlateState's words).
std::string_view calibration_state_code(const std::string& state) {
  if (state == "calibrated") return "calibrated";
  if (state == "expired" || state == "check_failed") return "calibration-required";
  if (state == "uncalibrated") return "not-calibrated";
  return "unspecified";
}

json shared_entry(json resource, const std::string& name) {
  const auto id = name_uuid(name);
  resource["id"] = id;
  resource["meta"] = profile_meta();
  return {{"fullUrl", "urn:uuid:" + id}, {"resource", std::move(resource)}};
}

// The plate as the plugin described it; the same resource (and id) from every kiosk and session.
json device_entry(const session::PlateUsed& p) {
  json r{{"resourceType", "Device"},
         {"identifier", json::array({plate_identifier(p.device_id)})},
         {"status", "active"},
         {"type", concept_of(coding(kDeviceTypeSystem, "force-plate", "Force plate"), "Force plate")}};
  if (!p.vendor.empty()) r["manufacturer"] = p.vendor;
  if (!p.model.empty()) {
    r["deviceName"] = json::array({{{"name", p.model}, {"type", "model-name"}}});
    r["modelNumber"] = p.model;
  }
  if (!p.serial.empty()) r["serialNumber"] = p.serial;
  if (!p.firmware.empty()) {
    json type = json::object();
    type["text"] = "firmware";
    r["version"] = json::array({{{"type", std::move(type)}, {"value", p.firmware}}});
  }
  if (!p.plugin.empty())
    r["property"] =
        json::array({{{"type", concept_of(coding(kDevicePropertySystem, "plugin", "Kiosk plate plugin"), "plugin")},
                      {"valueCode", json::array({concept_of(coding(kPlatePluginSystem, p.plugin), p.plugin)})}}});
  return shared_entry(std::move(r), "plate|" + p.device_id);
}

// The plate's force channel with the calibration it measured with: the
// technician's two-point calibration (empty plate, then a known mass).
json device_metric_entry(const session::PlateUsed& p) {
  const auto key = fmt::format("{}/{}", p.device_id, p.calibrated_at.empty() ? "uncalibrated" : p.calibrated_at);
  json ident = json::object();
  ident["system"] = kPlateCalibrationSystem;
  ident["value"] = key;
  json calibration{{"type", "two-point"}, {"state", calibration_state_code(p.calibration_state)}};
  if (!p.calibrated_at.empty()) calibration["time"] = p.calibrated_at;
  json unit = concept_of(coding(kUcum, "N", "newton"), "N");
  json r{{"resourceType", "DeviceMetric"},
         {"identifier", json::array({std::move(ident)})},
         {"type", concept_of(coding(kDeviceMetricSystem, "vertical-force", "Vertical ground reaction force"),
                             "Vertical force")},
         {"unit", std::move(unit)},
         {"source", device_reference(p)},
         {"operationalStatus", "on"},
         {"category", "measurement"},
         {"calibration", json::array({std::move(calibration)})}};
  return shared_entry(std::move(r), "plate-calibration|" + key);
}

// Each plate and calibration the session's captures used, once.
std::vector<session::PlateUsed> plates_of(const session::Session& s) {
  std::vector<session::PlateUsed> out;
  for (const auto* part : s.parts())
    if (part->plate && std::none_of(out.begin(), out.end(), [&](const auto& p) { return p == *part->plate; }))
      out.push_back(*part->plate);
  return out;
}

// Builds the resources of one session into `entries`.
class SessionResources {
 public:
  // transaction: each entry gets a conditional-create request (ifNoneExist on its identifier).
  SessionResources(const StoredSession& s, const std::string& install_id, json& entries, const VisitCodeUse& visit_code,
                   bool transaction, const QuestionnaireDefs& questionnaires)
      : s_(s),
        entries_(entries),
        key_(fmt::format("{}/{}", install_id, s.id)),
        name_(fmt::format("{}|{}|{}", install_id, s.id, s.started_at)),
        visit_code_(visit_code),
        transaction_(transaction),
        questionnaires_(questionnaires) {}

  // The Questionnaire of `test` at the session's version, as a conditional create
  // on its canonical url and version (transactions only, and only when on hand).
  void questionnaire(const std::string& test) {
    const auto version = s_.versions.find(test);
    if (!transaction_ || version == s_.versions.end()) return;
    const auto* def = find_questionnaire(questionnaires_, test, version->second);
    if (!def) return;
    auto entry = questionnaire_entry(*def);
    entry["request"] = {{"method", "POST"},
                        {"url", "Questionnaire"},
                        {"ifNoneExist", "url=" + percent_encoded(questionnaire_url(test)) +
                                            "&version=" + percent_encoded(def->version)}};
    entries_.push_back(std::move(entry));
  }

  void questionnaire_response(const std::string& test) {
    const auto version = s_.versions.find(test);
    if (version == s_.versions.end()) return;
    const auto* def = find_questionnaire(questionnaires_, test, version->second);
    std::vector<std::pair<size_t, json>> items;  // in the Questionnaire's order (unknown ones last)
    for (const auto& a : s_.answers) {
      if (a.test != test) continue;
      const auto* item = def ? def->item(a.ask) : nullptr;
      json entry{{"linkId", a.ask}};
      if (auto answers = fhir_answers(test, a.ask, session::to_json(a.value), item); !answers.empty())
        entry["answer"] = std::move(answers);
      items.emplace_back(item ? static_cast<size_t>(item - def->items.data()) : SIZE_MAX, std::move(entry));
    }
    std::stable_sort(items.begin(), items.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    json r{{"resourceType", "QuestionnaireResponse"},
           {"identifier", identifier(test)},
           {"questionnaire", fmt::format("{}|{}", questionnaire_url(test), version->second)},
           {"status", "completed"},
           {"authored", s_.ended_at}};
    link_visit(r);
    if (!items.empty()) {
      r["item"] = json::array();
      for (auto& [order, item] : items) r["item"].push_back(std::move(item));
    }
    add(test, std::move(r));
  }

  void observations() {
    for (const auto& m : s_.measures) {
      const auto key = fmt::format("{}.{}", m.test, m.id);
      json quantity{{"value", m.value}, {"unit", m.unit}};
      if (const auto code = ucum_code(m.unit)) {
        quantity["system"] = kUcum;
        quantity["code"] = *code;
      }
      const auto part = m.side.empty() ? key : key + "." + m.side;
      json r = observation(part, key, m.test, m.test_version, kMeasureSystem);
      for (const auto& standard : kStandardCodes)
        if (standard.measure == key)
          r["code"]["coding"].push_back(coding(standard.system, standard.code, standard.display));
      r["valueQuantity"] = std::move(quantity);
      if (auto site = body_site(m.side); !site.is_null()) r["bodySite"] = std::move(site);
      if (const auto* plate = plate_of(m); plate) r["device"] = device_reference(*plate);
      add(part, std::move(r));
    }
    for (const auto& f : s_.findings) {
      const auto part = "finding." + f.test + "." + f.id;
      const auto version = s_.versions.find(f.test);
      json r = observation(part, f.id, f.test, version == s_.versions.end() ? "" : version->second, kFindingSystem);
      r["valueBoolean"] = true;
      add(part, std::move(r));
    }
  }

  // The session's safety (its "safety" block) where a clinician sees it: one
  // Observation of the state, and one per red flag with any staff override.
  void safety() {
    const auto block = session::to_json(s_.session.safety);
    auto state = block.value("state", json());
    if (!state.is_string() || !safety_state_words(state.get<std::string>()))
      state = "unscreened";  // never read as cleared
    const auto screening = s_.versions.find("screening");
    const std::string version = screening == s_.versions.end() ? "" : screening->second;
    json members = json::array();
    json evidence = json::array();
    const auto flags = block.value("flags", json());
    for (const auto& f : flags.is_array() ? flags : json::array()) {
      if (!f.is_object() || !f.value("raised_by", json()).is_string()) continue;
      const auto part = "safety.red-flag." + f["raised_by"].get<std::string>();
      members.push_back(reference_to("Observation", part));
      auto r = red_flag(f, part, evidence);
      add(part, std::move(r));
    }
    json r = observation("safety", "state", "screening", version, kSafetySystem);
    r["category"] = json::array({concept_of(coding(kObservationCategory, "survey", "Survey"), "Survey")});
    r["code"] = concept_of(coding(kSafetySystem, "state", "Kiosk safety screen"), "Kiosk safety screen");
    const auto code = state.get<std::string>();
    r["valueCodeableConcept"] = concept_of(coding(kSafetyStateSystem, code, safety_state_words(code)), code);
    std::string note = safety_state_words(code);
    if (const auto why = block.value("unscreened_reason", json());
        code == "unscreened" && why.is_string() && !why.empty())
      note += fmt::format(" Why: {}", why.get<std::string>());
    r["note"] = json::array({{{"text", note}}});
    if (!members.empty()) r["hasMember"] = std::move(members);
    if (s_.versions.count("screening")) evidence.push_back(reference_to("QuestionnaireResponse", "screening"));
    if (!evidence.empty()) r["derivedFrom"] = unique(std::move(evidence));
    add("safety", std::move(r));
  }

  // The session's plates and calibrations (transactions: each a conditional
  // create, so the server keeps one per plate and calibration; the export
  // puts each once at the front).
  void plates() {
    if (!transaction_) return;
    std::set<std::string> added;  // a plate recalibrated mid-session: its Device once
    for (const auto& p : plates_of(s_.session))
      for (auto entry : {device_entry(p), device_metric_entry(p)})
        if (added.insert(entry["fullUrl"].get<std::string>()).second) {
          conditional_create(entry);
          entries_.push_back(std::move(entry));
        }
  }

  void document_reference(const std::vector<std::uint8_t>& pdf) {
    if (pdf.empty()) return;
    json attachment{
        {"contentType", "application/pdf"}, {"language", s_.language}, {"data", base64(pdf)}, {"size", pdf.size()},
        {"title", "Exercise handout"},      {"creation", s_.ended_at}};
    json content = json::object();
    content["attachment"] = std::move(attachment);
    json type = json::object();
    type["text"] = "Exercise handout";
    json r{{"resourceType", "DocumentReference"},
           {"identifier", json::array({identifier("handout")})},
           {"status", "current"},
           {"type", std::move(type)},
           {"date", s_.ended_at},
           {"description", "Exercise handout made by the heel-pain kiosk"},
           {"content", json::array({std::move(content)})}};
    if (visit_code_.as == VisitCodeUse::encounter && !s_.visit_code.empty())
      r["context"] = {{"encounter", json::array({visit_reference()})}};
    if (visit_code_.as == VisitCodeUse::patient && !s_.visit_code.empty()) r["subject"] = visit_reference();
    add("handout", std::move(r));
  }

 private:
  // The plate that measured `m` (the results row names it; the document's part has its details).
  const session::PlateUsed* plate_of(const storage::StoredMeasure& m) const {
    if (m.plate.empty()) return nullptr;
    for (const auto* part : s_.session.parts())
      if (part->test == m.test && part->plate && part->plate->device_id == m.plate) return &*part->plate;
    return nullptr;
  }
  json identifier(const std::string& part) const {
    json id = json::object();
    id["system"] = kSessionSystem;
    id["value"] = key_ + "/" + part;
    return id;
  }
  // "in force" and, once staff let the patient go on, the reason and when.
  json red_flag(const json& f, const std::string& part, json& evidence) const {
    const auto raised_by = f["raised_by"].get<std::string>();
    const auto test = raised_by.substr(0, raised_by.find('.'));
    const auto test_version = s_.versions.find(test);
    json r = observation(part, raised_by, test, test_version == s_.versions.end() ? "" : test_version->second,
                         kRedFlagSystem);
    r["category"] = json::array({concept_of(coding(kObservationCategory, "survey", "Survey"), "Survey")});
    r["code"]["text"] = "Red flag: " + raised_by;
    const auto from_answer = f.value("from_answer", json());
    const auto answer = text_of(f, "answer");
    r["valueString"] = from_answer.is_boolean() && from_answer.get<bool>() && !answer.empty()
                           ? answer
                           : "raised by the script's result";
    // As the kiosk reads it back (safety::SessionSafety::restore): an override with a reason not on the list does not
    // count.
    const auto override_block = f.value("override", json());
    const auto reason = override_block.is_object() ? text_of(override_block, "reason") : "";
    const auto& known = safety::override_reasons();
    const bool overridden = std::find(known.begin(), known.end(), reason) != known.end();
    json components =
        json::array({{{"code", concept_of(coding(kSafetySystem, "in-force", "Red flag in force"), "in force")},
                      {"valueBoolean", !overridden}}});
    if (overridden) {
      const auto at = text_of(override_block, "at");
      components.push_back(
          {{"code", concept_of(coding(kSafetySystem, "override-reason", "Staff override reason"), "override reason")},
           {"valueCodeableConcept", concept_of(coding(kOverrideReasonSystem, reason), reason)}});
      json note{{"text", fmt::format("Staff let the patient go on despite this red flag (reason: {}).", reason)}};
      if (!at.empty()) note["time"] = at;
      r["note"] = json::array({std::move(note)});
    }
    r["component"] = std::move(components);
    if (s_.versions.count(test)) {
      r["derivedFrom"] = json::array({reference_to("QuestionnaireResponse", test)});
      evidence.push_back(reference_to("QuestionnaireResponse", test));
    }
    return r;
  }
  // A string member, or "" (a hand-edited or older record may hold anything).
  static std::string text_of(const json& object, const char* key) {
    const auto v = object.value(key, json());
    return v.is_string() ? v.get<std::string>() : std::string();
  }
  static json unique(json refs) {
    json out = json::array();
    for (auto& r : refs)
      if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(std::move(r));
    return out;
  }
  // What a safety state means, in words for a clinician; nullptr for an unknown state.
  static const char* safety_state_words(const std::string& state) {
    if (state == "cleared") return "Cleared: the safety screen found no red flag in force; the tests ran.";
    if (state == "red_flag") return "Red flag: the patient was sent to the clinical team; no tests and no exercises.";
    if (state == "unscreened") return "Not screened: the safety screen could not run; no tests and no exercises.";
    return nullptr;
  }
  // A resource of this session, known by its identifier (it may sit in another transaction part).
  json reference_to(const std::string& type, const std::string& part) const {
    json ref = json::object();
    ref["type"] = type;
    ref["identifier"] = identifier(part);
    return ref;
  }
  // The encounter or patient, known only by the visit code from reception.
  json visit_reference() const {
    json id = json::object();
    id["system"] = visit_code_.system;
    id["value"] = s_.visit_code;
    json ref = json::object();
    ref["type"] = visit_code_.as == VisitCodeUse::patient ? "Patient" : "Encounter";
    ref["identifier"] = std::move(id);
    return ref;
  }
  // Observation and QuestionnaireResponse: "encounter" or "subject", as configured.
  void link_visit(json& r) const {
    if (s_.visit_code.empty() || visit_code_.as == VisitCodeUse::off) return;
    r[visit_code_.as == VisitCodeUse::patient ? "subject" : "encounter"] = visit_reference();
  }
  // `part` names it within the session (identifier, id); `code` is in `system`.
  json observation(const std::string& part, const std::string& code, const std::string& test,
                   const std::string& version, std::string_view system) const {
    json r{{"resourceType", "Observation"},
           {"identifier", json::array({identifier(part)})},
           {"status", "final"},
           {"category", json::array({concept_of(coding(kObservationCategory, "exam", "Exam"), "Exam")})},
           {"code", concept_of(coding(system, code), code)},
           {"method", concept_of(coding(kTestSystem, test), test + " " + version)},
           {"effectiveDateTime", s_.ended_at}};
    link_visit(r);
    return r;
  }
  void add(const std::string& part, json resource) {
    const auto id = name_uuid(name_ + "|" + part);
    resource["id"] = id;
    resource["meta"] = profile_meta();
    json entry{{"fullUrl", "urn:uuid:" + id}, {"resource", std::move(resource)}};
    if (transaction_) conditional_create(entry);
    entries_.push_back(std::move(entry));
  }

  const StoredSession& s_;
  json& entries_;
  std::string key_;   // "<install id>/<session id>": readable, in identifiers
  std::string name_;  // also the start time: ids stay unique if a wiped database reuses a session id
  VisitCodeUse visit_code_;
  bool transaction_;
  const QuestionnaireDefs& questionnaires_;
};

// Every resource of one stored session into `entries`.
void add_session(storage::SessionStore& store, const StoredSession& s, const std::string& install_id, json& entries,
                 const VisitCodeUse& visit_code, bool transaction, const QuestionnaireDefs& questionnaires) {
  SessionResources resources(s, install_id, entries, visit_code, transaction, questionnaires);
  resources.questionnaire("screening");  // first: the server holds it before the responses that name it
  resources.questionnaire("profile");
  resources.questionnaire_response("screening");
  resources.questionnaire_response("profile");
  resources.safety();
  resources.plates();  // before the Observations that name them
  resources.observations();
  if (s.has_handout) resources.document_reference(store.handout_pdf(s.id));
}

}  // namespace

json fhir_bundle(storage::SessionStore& store, kiosk::WallClock::time_point since, kiosk::WallClock::time_point now,
                 const QuestionnaireDefs& questionnaires, const VisitCodeUse& visit_code) {
  const auto install_id = store.install_id();
  json entries = json::array();
  std::set<const QuestionnaireDef*> used;  // each Questionnaire once, before the sessions
  const auto sessions = store.sessions_since(since);
  for (const auto& s : sessions)
    for (const char* test : {"screening", "profile"})
      if (const auto version = s.versions.find(test); version != s.versions.end())
        if (const auto* def = find_questionnaire(questionnaires, test, version->second); def && used.insert(def).second)
          entries.push_back(questionnaire_entry(*def));
  std::set<std::string> plates;  // each Device and DeviceMetric once, before the sessions
  for (const auto& s : sessions)
    for (const auto& p : plates_of(s.session))
      for (auto entry : {device_entry(p), device_metric_entry(p)})
        if (plates.insert(entry["fullUrl"].get<std::string>()).second) entries.push_back(std::move(entry));
  for (const auto& s : sessions) add_session(store, s, install_id, entries, visit_code, false, questionnaires);
  const auto stamp = kiosk::to_iso_utc(now);
  json meta = json::object();
  meta["tag"] = json::array({coding(kSessionSystem, fmt::format("export-v{}", kFhirExportVersion))});
  json bundle{{"resourceType", "Bundle"},
              {"id", name_uuid(fmt::format("{}|export|{}", install_id, stamp))},
              {"meta", std::move(meta)},
              {"type", "collection"},
              {"timestamp", stamp}};
  if (!entries.empty()) bundle["entry"] = std::move(entries);
  return bundle;
}

}  // namespace kiosk::records_export

namespace kiosk::records_export {

json questionnaire_bundle(const QuestionnaireDefs& questionnaires) {
  json entries = json::array();
  for (const auto& def : questionnaires) entries.push_back(questionnaire_entry(def));
  json bundle{{"resourceType", "Bundle"}, {"type", "collection"}};
  if (!entries.empty()) bundle["entry"] = std::move(entries);
  return bundle;
}

VisitCodeUse visit_code_use(const FhirConfig& fhir) {
  VisitCodeUse use;
  use.as = fhir.visit_code_as == "encounter" ? VisitCodeUse::encounter
           : fhir.visit_code_as == "patient" ? VisitCodeUse::patient
                                             : VisitCodeUse::off;
  use.system = fhir.visit_code_system;
  return use;
}

std::optional<json> fhir_transaction(storage::SessionStore& store, std::int64_t session_id,
                                     const VisitCodeUse& visit_code, const QuestionnaireDefs& questionnaires) {
  const auto s = store.find(session_id);
  if (!s) return std::nullopt;
  json entries = json::array();
  add_session(store, *s, store.install_id(), entries, visit_code, true, questionnaires);
  json bundle{{"resourceType", "Bundle"}, {"type", "transaction"}};
  if (!entries.empty()) bundle["entry"] = std::move(entries);
  return bundle;
}

}  // namespace kiosk::records_export
