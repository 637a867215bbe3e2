#include "core/export/fhir_bundle.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <cstdint>

namespace kiosk::records_export {
namespace {

using nlohmann::json;
using storage::StoredSession;

constexpr std::string_view kUcum = "http://unitsofmeasure.org";
constexpr std::string_view kSnomed = "http://snomed.info/sct";
constexpr std::string_view kObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";

// Script units → UCUM codes. A unit not listed is exported as text only.
constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kUcumCodes{{
    {"cm", "cm"}, {"mm", "mm"}, {"s", "s"}, {"mm/s", "mm/s"}, {"mm2", "mm2"},
    {"%", "%"}, {"reps", "{reps}"}, {"km", "km"}, {"weeks", "wk"}, {"deg", "deg"},
}};

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

json coding(std::string_view system, std::string_view code, std::string_view display = {}) {
  json c = json::object();
  c["system"] = system;
  c["code"] = code;
  if (!display.empty()) c["display"] = display;
  return c;
}

// A CodeableConcept with one coding.
json concept_of(json one_coding, std::string_view text) {
  json c = json::object();
  c["coding"] = json::array({std::move(one_coding)});
  c["text"] = text;
  return c;
}

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
  const std::uint64_t a = (hi & 0xffffffffffff0fffULL) | 0x8000ULL;                // version 8
  const std::uint64_t b = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;    // variant 10
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

// Builds the resources of one session into `entries`.
class SessionResources {
 public:
  // transaction: each entry gets a conditional-create request (ifNoneExist on its identifier).
  SessionResources(const StoredSession& s, const std::string& install_id, json& entries,
                   const VisitCodeUse& visit_code = {}, bool transaction = false)
      : s_(s), entries_(entries), key_(fmt::format("{}/{}", install_id, s.id)),
        name_(fmt::format("{}|{}|{}", install_id, s.id, s.started_at)), visit_code_(visit_code),
        transaction_(transaction) {}

  void questionnaire_response(const std::string& test) {
    const auto version = s_.versions.find(test);
    if (version == s_.versions.end()) return;
    json items = json::array();
    for (const auto& a : s_.answers) {
      if (a.test != test) continue;
      json item{{"linkId", a.ask}};
      json answers = json::array();
      for (const auto& v : a.value.is_array() ? a.value : json::array({a.value}))
        if (auto typed = answer_value(v); !typed.is_null()) answers.push_back(std::move(typed));
      if (!answers.empty()) item["answer"] = std::move(answers);
      items.push_back(std::move(item));
    }
    json r{{"resourceType", "QuestionnaireResponse"},
           {"identifier", identifier(test)},
           {"questionnaire", fmt::format("{}{}|{}", kQuestionnaireBase, test, version->second)},
           {"status", "completed"},
           {"authored", s_.ended_at}};
    link_visit(r);
    if (!items.empty()) r["item"] = std::move(items);
    add(test, std::move(r));
  }

  void observations() {
    for (const auto& m : s_.measures) {
      const auto key = fmt::format("{}.{}", m.test, m.id);
      json quantity{{"value", m.value}, {"unit", m.unit}};
      for (const auto& [unit, code] : kUcumCodes)
        if (unit == m.unit) {
          quantity["system"] = kUcum;
          quantity["code"] = code;
        }
      const auto part = m.side.empty() ? key : key + "." + m.side;
      json r = observation(part, key, m.test, m.test_version, kMeasureSystem);
      for (const auto& standard : kStandardCodes)
        if (standard.measure == key) r["code"]["coding"].push_back(coding(standard.system, standard.code, standard.display));
      r["valueQuantity"] = std::move(quantity);
      if (auto site = body_site(m.side); !site.is_null()) r["bodySite"] = std::move(site);
      add(part, std::move(r));
    }
    for (const auto& f : s_.findings) {
      const auto part = "finding." + f.test + "." + f.id;
      const auto version = s_.versions.find(f.test);
      json r = observation(part, f.id, f.test, version == s_.versions.end() ? "" : version->second,
                           kFindingSystem);
      r["valueBoolean"] = true;
      add(part, std::move(r));
    }
  }

  void document_reference(const std::vector<std::uint8_t>& pdf) {
    if (pdf.empty()) return;
    json attachment{{"contentType", "application/pdf"}, {"language", s_.language}, {"data", base64(pdf)},
                    {"size", pdf.size()}, {"title", "Exercise handout"}, {"creation", s_.ended_at}};
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
  json identifier(const std::string& part) const {
    json id = json::object();
    id["system"] = kSessionSystem;
    id["value"] = key_ + "/" + part;
    return id;
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
  static json answer_value(const json& v) {
    const char* type = v.is_boolean()          ? "valueBoolean"
                       : v.is_number_integer() ? "valueInteger"
                       : v.is_number()         ? "valueDecimal"
                       : v.is_string()         ? "valueString"
                                               : nullptr;
    if (!type) return nullptr;
    json a = json::object();
    a[type] = v;
    return a;
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
    json entry{{"fullUrl", "urn:uuid:" + id}, {"resource", std::move(resource)}};
    if (transaction_) {
      const auto& r = entry["resource"];
      const auto& ident = r["identifier"].is_array() ? r["identifier"][0] : r["identifier"];
      entry["request"] = {{"method", "POST"},
                          {"url", r["resourceType"]},
                          {"ifNoneExist", "identifier=" + percent_encoded(ident["system"].get<std::string>()) + "%7C" +
                                              percent_encoded(ident["value"].get<std::string>())}};
    }
    entries_.push_back(std::move(entry));
  }
  // RFC 3986: everything but unreserved characters as %XX (a search value in a URL query).
  static std::string percent_encoded(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
      if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
        out += static_cast<char>(c);
      else
        out += fmt::format("%{:02X}", c);
    }
    return out;
  }

  const StoredSession& s_;
  json& entries_;
  std::string key_;   // "<install id>/<session id>": readable, in identifiers
  std::string name_;  // also the start time: ids stay unique if a wiped database reuses a session id
  VisitCodeUse visit_code_;
  bool transaction_;
};

// Every resource of one stored session into `entries`.
void add_session(storage::SessionStore& store, const StoredSession& s, const std::string& install_id, json& entries,
                 const VisitCodeUse& visit_code, bool transaction) {
  SessionResources resources(s, install_id, entries, visit_code, transaction);
  resources.questionnaire_response("screening");
  resources.questionnaire_response("profile");
  resources.observations();
  if (s.has_handout) resources.document_reference(store.handout_pdf(s.id));
}

}  // namespace

json fhir_bundle(storage::SessionStore& store, storage::Clock::time_point since, storage::Clock::time_point now) {
  const auto install_id = store.install_id();
  json entries = json::array();
  for (const auto& s : store.sessions_since(since)) add_session(store, s, install_id, entries, {}, false);
  const auto stamp = storage::to_iso_utc(now);
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

VisitCodeUse visit_code_use(const FhirConfig& fhir) {
  VisitCodeUse use;
  use.as = fhir.visit_code_as == "encounter" ? VisitCodeUse::encounter
           : fhir.visit_code_as == "patient" ? VisitCodeUse::patient
                                             : VisitCodeUse::off;
  use.system = fhir.visit_code_system;
  return use;
}

std::optional<json> fhir_transaction(storage::SessionStore& store, std::int64_t session_id,
                                     const VisitCodeUse& visit_code) {
  const auto s = store.find(session_id);
  if (!s) return std::nullopt;
  json entries = json::array();
  add_session(store, *s, store.install_id(), entries, visit_code, true);
  json bundle{{"resourceType", "Bundle"}, {"type", "transaction"}};
  if (!entries.empty()) bundle["entry"] = std::move(entries);
  return bundle;
}

}  // namespace kiosk::records_export
