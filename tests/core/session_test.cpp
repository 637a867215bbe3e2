// The typed session and its document (core/session): what the store keeps
// and reads back, and that reading never makes a session safer than it was.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/session/session_json.h"

using kiosk::session::Answer;
using kiosk::session::Session;
using kiosk::session::session_from_json;
using kiosk::session::to_json;
using nlohmann::json;

namespace {

Session full_session() {
  Session s;
  s.api = 1;
  s.lang = "es";
  s.safety.raise("screening.fever", "yes", true);
  s.safety.screening_finished();
  REQUIRE(s.safety.override_flags("clinician_assessed", "2024-05-01T11:58:00.000Z"));
  s.safety.one_leg_unsafe_found();
  s.screening = kiosk::session::ScriptPart{"screening", "2.0.0", {}, {}, {}, "", {{"fever", Answer(true)}}};
  s.profile = kiosk::session::ScriptPart{"profile",
                                         "1.1.0",
                                         {},
                                         {"load_spike"},
                                         {},
                                         "",
                                         {{"age_band", Answer(std::string("40-49"))}, {"weekly_km", Answer(30.0)}}};
  s.tests.push_back(
      {"knee_to_wall",
       "1.0.0",
       {{"distance_cm", "left", 8.5, "cm"}, {"distance_cm", "right", 11, "cm"}, {"asymmetry_cm", "", 2.5, "cm"}},
       {"dorsiflexion_restricted_left"},
       {"skip:x"},
       "Tobillo izquierdo rígido",
       {{"left.distance_cm", Answer(std::vector<double>{7, 8.5})}}});
  s.tests.push_back({"heel_raise", "1.2.0", {{"reps", "left", 22, "reps"}}, {}, {}, "", {}});
  s.tests.back().plate = kiosk::session::PlateUsed{
      "sim:SIM-0001", "sim", "Kiosk", "Sim plate", "SIM-0001", "1.4.2", "calibrated", "2024-04-30T09:12:00Z", 7};
  s.skipped.push_back({"single_leg_balance", "person"});
  s.unavailable.push_back({"broken.lua", "", "broken.lua:1: unexpected symbol"});
  s.unavailable.push_back({"hang.lua", "hang", "hang.lua:3: CPU limit"});
  s.findings = {"load_spike", "dorsiflexion_restricted_left"};
  s.refer_findings = {"x_refer"};
  s.visit_code = "A-17";
  return s;
}

}  // namespace

TEST_CASE("session document: every field survives the store's round trip") {
  const auto s = full_session();
  const auto doc = to_json(s);
  const auto back = session_from_json(json::parse(doc.dump()));
  CHECK(to_json(back) == doc);
  CHECK(back.safety.state() == s.safety.state());
  CHECK(back.safety.one_leg_unsafe());
  CHECK(back.tests.at(0).measures.at(2).side.empty());
  CHECK(doc["tests"][0]["measures"][2]["side"].is_null());  // not sided: null in the document
  CHECK(doc["stopped"] == false);
  CHECK(std::get<std::vector<double>>(back.tests.at(0).answers.at("left.distance_cm")) == std::vector<double>{7, 8.5});
  CHECK_FALSE(doc["unavailable"][0].contains("test"));  // a file that never loaded names no test
  REQUIRE(back.tests.at(1).plate);
  CHECK(*back.tests.at(1).plate == *s.tests.at(1).plate);
  CHECK(doc["tests"][1]["plate"]["calibrated_at"] == "2024-04-30T09:12:00Z");
  CHECK_FALSE(doc["tests"][0].contains("plate"));  // measured by hand: no plate key at all
}

TEST_CASE("session document: a part without a readable plate reads as measured by hand") {
  auto doc = to_json(full_session());
  doc["tests"][1].erase("plate");  // as a kiosk before plates were recorded stored it
  CHECK_FALSE(session_from_json(doc).tests.at(1).plate);
  for (const json& bad : {json(nullptr), json("sim:SIM-0001"), json{{"device_id", 3}}, json{{"serial", "SIM-0001"}}}) {
    doc["tests"][1]["plate"] = bad;
    INFO(bad.dump());
    CHECK_FALSE(session_from_json(doc).tests.at(1).plate);
  }
  doc["tests"][1]["plate"] = {{"device_id", "usb:42"}, {"calibration_id", "seven"}};
  const auto odd = session_from_json(doc).tests.at(1).plate;
  REQUIRE(odd);
  CHECK(odd->device_id == "usb:42");
  CHECK(odd->calibration_id == 0);
  CHECK(odd->serial.empty());
}

TEST_CASE("session document: answers read back as the scripts gave them, and the record's short text") {
  CHECK(kiosk::session::answer_text(Answer(true)) == "yes");
  CHECK(kiosk::session::answer_text(Answer(8.0)) == "8");
  CHECK(kiosk::session::answer_text(Answer(7.5)) == "7.5");
  CHECK(kiosk::session::answer_text(Answer(std::string("under-18"))) == "under-18");
  CHECK(kiosk::session::answer_text(Answer(std::vector<double>{8, 9.5})) == "8, 9.5");
  CHECK_FALSE(kiosk::session::answer_from_json(json(nullptr)));
  CHECK_FALSE(kiosk::session::answer_from_json(json::object()));
  CHECK_FALSE(kiosk::session::answer_from_json(json::array({1, "x"})));
  const auto answers = kiosk::session::answers_from_json(json{{"a", 1}, {"b", nullptr}, {"c", "x"}});
  CHECK(answers.size() == 2);  // what no script answer takes is left out, not guessed
}

// Reading a stored document never clears a session its document does not
// clear: every combination of state, flags and one-leg word is tried.
TEST_CASE("session document: a damaged safety block is never read as cleared", "[safety]") {
  const std::vector<json> states = {"cleared", "red_flag", "unscreened", "fine", 1, nullptr};
  const json open_flag = {{"raised_by", "screening.fever"}, {"answer", "yes"}, {"from_answer", true}};
  auto listed = open_flag;
  listed["override"] = {{"reason", "clinician_assessed"}, {"at", "2024-05-01T11:58:00Z"}};
  auto unlisted = open_flag;
  unlisted["override"] = {{"reason", "patient_insisted"}, {"at", "2024-05-01T11:58:00Z"}};
  const json garbled = {{"raised_by", "screening.fever"}, {"answer", 3}, {"from_answer", "yes"}, {"override", 7}};
  const std::vector<json> flag_sets = {json::array(),
                                       json::array({open_flag}),
                                       json::array({listed}),
                                       json::array({unlisted}),
                                       json::array({garbled}),
                                       "x",
                                       nullptr};
  const std::vector<json> one_leg = {true, false, "x", nullptr};
  int cleared = 0, tried = 0;
  for (const auto& state : states)
    for (const auto& flags : flag_sets)
      for (const auto& leg : one_leg)
        for (bool with_block : {true, false}) {
          json block = {{"state", state}, {"flags", flags}, {"one_leg_unsafe", leg}};
          json doc = {{"lang", "en"}, {"tests", json::array()}};
          if (with_block) doc["safety"] = block;
          const auto s = session_from_json(doc);
          ++tried;
          // Cleared only when the block says so, its flags can be read, and each has a listed override.
          const bool may_clear =
              with_block && state == "cleared" && (flags == json::array() || flags == json::array({listed}));
          INFO(doc.dump());
          if (!may_clear) CHECK_FALSE(s.safety.allows_tests());
          if (s.safety.allows_tests()) ++cleared;
          // Not safe on one leg unless the block plainly says the patient is.
          CHECK(s.safety.one_leg_unsafe() == !(with_block && leg == false));
        }
  CHECK(tried == 336);
  CHECK(cleared == 2 * 4);  // no flags or a listed override, with each one-leg word
}
