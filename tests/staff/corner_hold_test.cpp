#include <catch2/catch.hpp>

#include "staff/corner_hold.h"

using kiosk::staff::CornerHold;
using namespace std::chrono_literals;

TEST_CASE("staff: a press held still in the corner for three seconds opens the way in once") {
  CornerHold hold(3000ms);
  const CornerHold::Clock::time_point t0{};
  hold.press(10, 10, 120, t0);
  CHECK_FALSE(hold.fired(t0 + 2900ms));
  CHECK(hold.progress(t0 + 1500ms) == Approx(0.5));
  CHECK(hold.fired(t0 + 3000ms));
  CHECK_FALSE(hold.fired(t0 + 4000ms));  // once per press
  CHECK(hold.progress(t0 + 4000ms) == 0);
}

TEST_CASE("staff: a press elsewhere or one that leaves the corner or lets go never opens it") {
  CornerHold hold(3000ms);
  const CornerHold::Clock::time_point t0{};
  hold.press(200, 10, 120, t0);  // outside the corner
  CHECK_FALSE(hold.fired(t0 + 5s));
  hold.press(10, 10, 120, t0);
  hold.move(50, 60, 120);   // still inside
  hold.move(130, 60, 120);  // out
  CHECK_FALSE(hold.fired(t0 + 5s));
  hold.press(10, 10, 120, t0);
  hold.release();
  CHECK_FALSE(hold.fired(t0 + 5s));
}
