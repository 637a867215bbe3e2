// The staff PIN gate: real argon2id hashes (libsodium), lockout after five
// wrong PINs, the staff session closing itself, and every outcome audited.
#include <catch2/catch.hpp>

#include "staff/staff_gate.h"

using kiosk::StaffGate;
using namespace std::chrono_literals;

namespace {
struct Audited {
  std::vector<std::string> events;
  StaffGate::Audit sink() {
    return [this](std::string_view e, std::string_view) { events.emplace_back(e); };
  }
};
}  // namespace

TEST_CASE("staff PIN: hashes are argon2id and only the right PIN opens") {
  const auto hash = kiosk::hash_staff_pin("2468");
  CHECK(hash.rfind("$argon2id$", 0) == 0);
  CHECK(kiosk::hash_staff_pin("2468") != hash);  // salted
  Audited audit;
  StaffGate gate(hash, {}, audit.sink());
  const auto t = StaffGate::Clock::now();
  CHECK(gate.try_pin("2469", t) == StaffGate::Result::wrong);
  CHECK_FALSE(gate.is_open(t));
  CHECK(gate.try_pin("2468", t) == StaffGate::Result::opened);
  CHECK(gate.is_open(t));
  CHECK(audit.events == std::vector<std::string>{"staff_pin_wrong", "staff_opened"});
}

TEST_CASE("staff PIN: five wrong in a row lock the pad and the right PIN waits too") {
  Audited audit;
  StaffGate gate(kiosk::hash_staff_pin("1357"), {.tries_before_lockout = 5, .lockout = 300s}, audit.sink());
  auto t = StaffGate::Clock::now();
  for (int i = 0; i < 4; ++i) CHECK(gate.try_pin("0000", t) == StaffGate::Result::wrong);
  CHECK(gate.try_pin("0000", t) == StaffGate::Result::locked);
  CHECK(gate.locked_for(t) == 300s);
  CHECK(gate.try_pin("1357", t + 299s) == StaffGate::Result::locked);
  CHECK_FALSE(gate.is_open(t + 299s));
  CHECK(gate.try_pin("1357", t + 300s) == StaffGate::Result::opened);
  CHECK(audit.events[4] == "staff_locked");
  CHECK(audit.events[5] == "staff_pin_refused");
}

TEST_CASE("staff PIN: an idle staff session closes itself") {
  StaffGate gate(kiosk::hash_staff_pin("8642"), {.session_idle = 120s});
  const auto t = StaffGate::Clock::now();
  REQUIRE(gate.try_pin("8642", t) == StaffGate::Result::opened);
  gate.touch(t + 100s);
  CHECK(gate.is_open(t + 219s));
  CHECK_FALSE(gate.is_open(t + 220s));
  CHECK_FALSE(gate.is_open(t + 221s));  // stays closed
}

TEST_CASE("staff PIN: without a configured hash nothing opens and bad PINs are refused") {
  StaffGate gate("");
  CHECK(gate.try_pin("1234", StaffGate::Clock::now()) == StaffGate::Result::not_configured);
  CHECK_THROWS_AS(kiosk::hash_staff_pin("12"), std::invalid_argument);
  CHECK_THROWS_AS(kiosk::hash_staff_pin("12a4"), std::invalid_argument);
  CHECK_THROWS_AS(kiosk::hash_staff_pin("123456789"), std::invalid_argument);
  CHECK(kiosk::is_valid_staff_pin("00000000"));
}
