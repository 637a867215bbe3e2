#include <catch2/catch.hpp>

#include "ui/theme.h"

TEST_CASE("layout scale is 1 at 1080p and never lets body text fall under 24 px") {
  using kiosk::ui::layout_scale;
  CHECK(layout_scale(1920, 1080) == Approx(1.0f));
  CHECK(layout_scale(1080, 1920) == Approx(1.0f));  // portrait
  CHECK(layout_scale(3840, 2160) == Approx(2.0f));
  CHECK(layout_scale(800, 480) == Approx(0.75f));  // 32 px body × 0.75 = 24 px
  CHECK(32.0f * layout_scale(1280, 800) >= 24.0f);
}
