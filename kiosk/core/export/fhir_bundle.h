// Stored sessions as one FHIR R4 Bundle (type "collection") for the clinic's
// records, per session:
//   - a QuestionnaireResponse each for screening and profile (linkId = the
//     stable ask id, e.g. "night_pain", "age_band");
//   - an Observation per measure: code = "<test>.<measure>" in the local
//     measure system (and a LOINC code where one exists, e.g. 66569-5 for the
//     single-leg stance time), UCUM valueQuantity, bodySite = SNOMED left/right foot,
//     method = the test (script id, version in the text);
//   - an Observation per finding (valueBoolean true), code = finding id;
//   - a DocumentReference holding the handout PDF (base64), when stored.
// No Patient: sessions carry no name. A visit code, when given, is the
// encounter's identifier. Resource ids are UUIDs derived from this kiosk's
// install id and the session, so exporting twice gives the same ids.
// Versioned with the code systems below: change a URI only with a new version.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/config.h"

#include "core/storage/session_store.h"

namespace kiosk::records_export {

inline constexpr int kFhirExportVersion = 1;
// Local code systems and identifier systems (stable; a clinic maps them).
inline constexpr std::string_view kMeasureSystem = "urn:heel-kiosk:fhir:measure";     // "<test>.<measure>"
inline constexpr std::string_view kFindingSystem = "urn:heel-kiosk:fhir:finding";     // finding id
inline constexpr std::string_view kTestSystem = "urn:heel-kiosk:fhir:test";           // script id
inline constexpr std::string_view kQuestionnaireBase = "urn:heel-kiosk:fhir:questionnaire:";  // + script id
inline constexpr std::string_view kSessionSystem = "urn:heel-kiosk:fhir:session";     // "<install id>/<session id>..."
inline constexpr std::string_view kVisitCodeSystem = "urn:heel-kiosk:fhir:visit-code";

// Every session that ended at or after `since`; `now` stamps the Bundle.
nlohmann::json fhir_bundle(storage::SessionStore& store, storage::Clock::time_point since,
                           storage::Clock::time_point now);

// How the reception's visit code (the only identity a session holds) goes to
// the clinic's server: not at all, as the Encounter's or as the Patient's
// identifier (fhir.visit_code_as / visit_code_system).
struct VisitCodeUse {
  enum Kind { off, encounter, patient } as = encounter;
  std::string system{kVisitCodeSystem};
};
VisitCodeUse visit_code_use(const FhirConfig& fhir);

// One stored session as an R4 "transaction" Bundle for the outbox: the same
// resources and ids as the export, each entry a POST with ifNoneExist on
// its identifier (system "urn:heel-kiosk:fhir:session", value "<install
// id>/<session id>/<part>"), so a retry or a second send creates nothing.
// nullopt: no such session.
std::optional<nlohmann::json> fhir_transaction(storage::SessionStore& store, std::int64_t session_id,
                                               const VisitCodeUse& visit_code);

}  // namespace kiosk::records_export
