// The kiosk's FHIR R4 profile (version kFhirExportVersion, on every resource
// as meta.tag {system "urn:heel-kiosk:fhir:profile", code "<version>"}):
// stored sessions as one Bundle (type "collection") for the clinic's records,
// or one session as a "transaction" Bundle for the outbox. Per session:
//   - Questionnaire for screening and profile (transactions; the export
//     puts each one once at the front): generated from the scripts
//     (fhir_questionnaire.h), canonical url
//     "urn:heel-kiosk:fhir:questionnaire:<script id>", version = the script's
//     version; conditional create on url + version;
//   - a QuestionnaireResponse each for screening and profile, questionnaire =
//     "<url>|<version>", linkId = the stable ask id (e.g. "night_pain",
//     "age_band"), items in the Questionnaire's order; answers typed by the
//     item: valueBoolean, valueInteger, valueDecimal, or valueCoding (system
//     "<url>:<ask id>", code = the option's value) for a choice. A red-flag
//     session's response holds the answers up to and with the flagged one;
//   - the safety screen (category survey), part "safety": code "state" in
//     urn:heel-kiosk:fhir:safety, valueCodeableConcept in
//     urn:heel-kiosk:fhir:safety-state: unscreened | cleared | red_flag (a
//     missing or unknown state is sent as unscreened), a note in words,
//     hasMember → one Observation per red flag, derivedFrom → the responses;
//   - per red flag (part "safety.red-flag.<raised_by>"): code = raised_by
//     (e.g. "screening.numbness") in urn:heel-kiosk:fhir:red-flag,
//     valueString = the answer as given, component "in-force" (valueBoolean)
//     and, once staff overrode it, "override-reason" (valueCodeableConcept in
//     urn:heel-kiosk:fhir:override-reason) with a note at the override's time;
//     derivedFrom → the response that holds the answer;
//   - an Observation per measure: code = "<test>.<measure>" in the local
//     measure system (and a LOINC code where one exists, e.g. 66569-5 for the
//     single-leg stance time), UCUM valueQuantity, bodySite = SNOMED left/right foot,
//     method = the test (script id, version in the text);
//   - an Observation per finding (valueBoolean true), code = finding id;
//   - a DocumentReference holding the handout PDF (base64), when stored;
//   - per plate a capture measured with (session::PlateUsed): a Device
//     (identifier "<plugin>:<serial>" in urn:heel-kiosk:fhir:plate, type
//     force-plate, manufacturer, model, serialNumber, firmware as version,
//     the plugin as a property) and a DeviceMetric of its vertical force
//     (source → the Device, calibration: two-point, its state, the time the
//     calibration in force was made; identifier "<plate>/<calibrated at>" in
//     urn:heel-kiosk:fhir:plate-calibration). Both are shared by every
//     session and kiosk that used that plate and calibration (the export
//     puts each once at the front; a transaction creates them only if new).
//     Every measure Observation of a part the plate measured has
//     device → the Device. Typed-in results have no device.
// References between a session's resources are by identifier (a transaction
// may go in parts). No Patient: sessions carry no name. A visit code, when
// the clinic turns it on (fhir.visit_code_as; off by default), is the
// encounter's or patient's identifier, in the outbox and `kioskctl export`
// alike. Resource ids are UUIDs derived from this kiosk's install id and the
// session (a plate's from the plate), so exporting twice gives the same ids.
// Versions: 1 first; 2 adds the Questionnaires, typed answers (choices as
// valueCoding, were valueString), the safety Observations and meta.tag;
// 3 adds the plates (Device, DeviceMetric, Observation.device).
// Change a URI or a shape only with a new version (docs/ARCHITECTURE.md).
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/config.h"
#include "core/export/fhir_questionnaire.h"

#include "core/storage/session_store.h"

namespace kiosk::records_export {

inline constexpr int kFhirExportVersion = 3;
// Local code systems and identifier systems (stable; a clinic maps them).
inline constexpr std::string_view kMeasureSystem = "urn:heel-kiosk:fhir:measure";  // "<test>.<measure>"
inline constexpr std::string_view kFindingSystem = "urn:heel-kiosk:fhir:finding";  // finding id
inline constexpr std::string_view kTestSystem = "urn:heel-kiosk:fhir:test";        // script id
inline constexpr std::string_view kProfileSystem = "urn:heel-kiosk:fhir:profile";  // meta.tag: the version
inline constexpr std::string_view kSafetySystem = "urn:heel-kiosk:fhir:safety";    // state, in-force, override-reason
inline constexpr std::string_view kSafetyStateSystem =
    "urn:heel-kiosk:fhir:safety-state";                                             // unscreened|cleared|red_flag
inline constexpr std::string_view kRedFlagSystem = "urn:heel-kiosk:fhir:red-flag";  // raised_by
inline constexpr std::string_view kOverrideReasonSystem =
    "urn:heel-kiosk:fhir:override-reason";                                         // safety::override_reasons()
inline constexpr std::string_view kSessionSystem = "urn:heel-kiosk:fhir:session";  // "<install id>/<session id>..."
inline constexpr std::string_view kVisitCodeSystem = "urn:heel-kiosk:fhir:visit-code";
inline constexpr std::string_view kPlateSystem = "urn:heel-kiosk:fhir:plate";  // "<plugin>:<serial>"
inline constexpr std::string_view kPlateCalibrationSystem =
    "urn:heel-kiosk:fhir:plate-calibration";                                              // "<plate>/<calibrated at>"
inline constexpr std::string_view kDeviceTypeSystem = "urn:heel-kiosk:fhir:device-type";  // force-plate
inline constexpr std::string_view kDeviceMetricSystem = "urn:heel-kiosk:fhir:device-metric";      // vertical-force
inline constexpr std::string_view kDevicePropertySystem = "urn:heel-kiosk:fhir:device-property";  // plugin
inline constexpr std::string_view kPlatePluginSystem = "urn:heel-kiosk:fhir:plate-plugin";        // the plugin's id

// The Questionnaires alone, as a "collection" Bundle (kioskctl fhir questionnaire).
nlohmann::json questionnaire_bundle(const QuestionnaireDefs& questionnaires);

// How the reception's visit code (the only identity a session holds) goes to
// the clinic's server: not at all, as the Encounter's or as the Patient's
// identifier (fhir.visit_code_as / visit_code_system).
struct VisitCodeUse {
  enum Kind { off, encounter, patient } as = off;
  std::string system{kVisitCodeSystem};
};
VisitCodeUse visit_code_use(const FhirConfig& fhir);

// Every session that ended at or after `since`; `now` stamps the Bundle.
// `questionnaires`: the definitions on hand (script/questionnaire.h); the
// sessions' responses are typed by them and the ones used lead the Bundle,
// then the plates. Visit codes only as `visit_code` says (default: off).
nlohmann::json fhir_bundle(storage::SessionStore& store, kiosk::WallClock::time_point since,
                           kiosk::WallClock::time_point now, const QuestionnaireDefs& questionnaires = {},
                           const VisitCodeUse& visit_code = {});

// One stored session as an R4 "transaction" Bundle for the outbox: the same
// resources and ids as the export, each entry a POST with ifNoneExist on
// its identifier (system "urn:heel-kiosk:fhir:session", value "<install
// id>/<session id>/<part>"), so a retry or a second send creates nothing.
// The session's Questionnaires come first when `questionnaires` has them
// (a session whose script version is not on hand names its url|version only).
// nullopt: no such session.
std::optional<nlohmann::json> fhir_transaction(storage::SessionStore& store, std::int64_t session_id,
                                               const VisitCodeUse& visit_code,
                                               const QuestionnaireDefs& questionnaires = {});

}  // namespace kiosk::records_export
