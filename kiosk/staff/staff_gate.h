// Who may open the staff screens: a PIN checked against its argon2id hash
// (libsodium, from the config's staff.pin_hash), 5 wrong tries in a row lock
// the pad for some minutes, and an open staff session closes itself after a
// while without a touch. Every outcome goes to the `audit` callback (the
// database's audit log). Thread: main thread; time is passed in.
#pragma once
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk {

// argon2id hash of `pin` in libsodium's string form ("$argon2id$v=19$...").
// Throws std::invalid_argument for a PIN that is not 4 to 8 digits.
std::string hash_staff_pin(std::string_view pin);
bool is_valid_staff_pin(std::string_view pin);

struct StaffGatePolicy {
  int tries_before_lockout = 5;
  std::chrono::seconds lockout{300};
  std::chrono::seconds session_idle{120};  // an open staff session closes after this without a touch
};

class StaffGate {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Result { opened, wrong, locked, not_configured };
  // (event, detail) e.g. ("staff_pin_wrong", "try 3 of 5")
  using Audit = std::function<void(std::string_view event, std::string_view detail)>;

  StaffGate(std::string pin_hash, StaffGatePolicy policy = {}, Audit audit = {});

  Result try_pin(std::string_view pin, Clock::time_point now);
  bool is_open(Clock::time_point now);  // closes (and audits) an idle session
  void touch(Clock::time_point now);    // staff activity keeps the session open
  void close(std::string_view why = "closed");
  // Time until the pad takes PINs again; nullopt when it is not locked.
  std::optional<std::chrono::seconds> locked_for(Clock::time_point now) const;
  bool configured() const { return !hash_.empty(); }
  int tries_left() const { return policy_.tries_before_lockout - wrong_in_a_row_; }  // before the pad locks

 private:
  std::string hash_;
  StaffGatePolicy policy_;
  Audit audit_;
  int wrong_in_a_row_ = 0;
  std::optional<Clock::time_point> locked_until_;
  std::optional<Clock::time_point> last_activity_;  // set while a staff session is open
};

}  // namespace kiosk
