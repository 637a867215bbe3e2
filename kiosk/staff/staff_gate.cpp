#include "staff/staff_gate.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <stdexcept>

#include "core/log.h"

namespace kiosk {
namespace {
void init_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
}
}  // namespace

bool is_valid_staff_pin(std::string_view pin) {
  return pin.size() >= 4 && pin.size() <= 8 &&
         std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string hash_staff_pin(std::string_view pin) {
  if (!is_valid_staff_pin(pin)) throw std::invalid_argument("a staff PIN is 4 to 8 digits");
  init_sodium();
  char out[crypto_pwhash_STRBYTES];
  // Interactive limits: ~0.1 s and 64 MiB on a small PC; a 4-8 digit PIN
  // relies on the lockout, the hash keeps a stolen config from giving it away.
  if (crypto_pwhash_str_alg(out, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("not enough memory to hash the PIN");
  return out;
}

StaffGate::StaffGate(std::string pin_hash, StaffGatePolicy policy, Audit audit)
    : hash_(std::move(pin_hash)), policy_(policy), audit_(std::move(audit)) {
  init_sodium();
}

StaffGate::Result StaffGate::try_pin(std::string_view pin, Clock::time_point now) {
  auto say = [&](std::string_view event, const std::string& detail) {
    log::get("staff")->info("{} {}", event, detail);
    if (audit_) audit_(event, detail);
  };
  if (!configured()) {
    say("staff_pin_refused", "no staff PIN is configured (staff.pin_hash)");
    return Result::not_configured;
  }
  if (const auto left = locked_for(now)) {
    say("staff_pin_refused", fmt::format("locked for {} s more", left->count()));
    return Result::locked;
  }
  locked_until_.reset();
  if (crypto_pwhash_str_verify(hash_.c_str(), pin.data(), pin.size()) == 0) {
    wrong_in_a_row_ = 0;
    last_activity_ = now;
    say("staff_opened", "PIN accepted");
    return Result::opened;
  }
  ++wrong_in_a_row_;
  if (wrong_in_a_row_ >= policy_.tries_before_lockout) {
    wrong_in_a_row_ = 0;
    locked_until_ = now + policy_.lockout;
    say("staff_locked",
        fmt::format("{} wrong PINs in a row: locked for {} s", policy_.tries_before_lockout, policy_.lockout.count()));
    return Result::locked;
  }
  say("staff_pin_wrong", fmt::format("try {} of {}", wrong_in_a_row_, policy_.tries_before_lockout));
  return Result::wrong;
}

std::optional<std::chrono::seconds> StaffGate::locked_for(Clock::time_point now) const {
  if (!locked_until_ || now >= *locked_until_) return std::nullopt;
  return std::chrono::ceil<std::chrono::seconds>(*locked_until_ - now);
}

bool StaffGate::is_open(Clock::time_point now) {
  if (last_activity_ && now - *last_activity_ >= policy_.session_idle) close("timed out");
  return last_activity_.has_value();
}

void StaffGate::touch(Clock::time_point now) {
  if (last_activity_) last_activity_ = now;
}

void StaffGate::close(std::string_view why) {
  if (!last_activity_) return;
  last_activity_.reset();
  log::get("staff")->info("staff_closed {}", why);
  if (audit_) audit_("staff_closed", why);
}

}  // namespace kiosk
