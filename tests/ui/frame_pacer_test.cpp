#include <catch2/catch.hpp>

#include "ui/frame_pacer.h"

using kiosk::ui::FramePacer;
using namespace std::chrono_literals;

namespace {
// Draws every frame that is due at `now`, like the shell does; returns how many.
int drain(FramePacer& p, FramePacer::Clock::time_point now) {
  int n = 0;
  while (p.should_render(now) && n < 100) {
    p.on_rendered(now);
    ++n;
  }
  return n;
}
}  // namespace

TEST_CASE("after start and after input the pacer draws exactly the settle frames") {
  FramePacer p(3);
  const auto t = FramePacer::Clock::now();
  CHECK(drain(p, t) == 3);
  CHECK_FALSE(p.should_render(t));
  p.on_input();
  CHECK(p.wait_timeout_ms(t) == 0);
  CHECK(drain(p, t) == 3);
}

TEST_CASE("with nothing to do the pacer sleeps the maximum and draws nothing") {
  FramePacer p(3, 1000ms);
  const auto t = FramePacer::Clock::now();
  drain(p, t);
  CHECK(p.wait_timeout_ms(t) == 1000);
  CHECK_FALSE(p.should_render(t + 10s));
}

TEST_CASE("a requested frame wakes the loop at its time and only then") {
  FramePacer p(3, 1000ms);
  const auto t = FramePacer::Clock::now();
  drain(p, t);
  p.request_frame_at(t + 250ms);
  p.request_frame_at(t + 600ms);  // later request does not delay the earlier one
  CHECK(p.wait_timeout_ms(t) == 250);
  CHECK_FALSE(p.should_render(t + 249ms));
  CHECK(drain(p, t + 250ms) == 1);
  CHECK(p.wait_timeout_ms(t + 250ms) == 350);  // the later request still stands
  CHECK(drain(p, t + 600ms) == 1);
  CHECK(p.wait_timeout_ms(t + 600ms) == 1000);
}

TEST_CASE("a frame asked for while drawing a requested frame is drawn too") {
  // An animation re-asks each frame it draws; the request that woke this frame must not swallow it.
  FramePacer p(0, 1000ms);
  const auto t = FramePacer::Clock::now();
  p.request_frame_at(t);
  int frames = 0;
  for (auto now = t; now < t + 1s; now += 1ms) {
    if (!p.should_render(now)) continue;
    ++frames;
    p.request_frame_at(now + 16ms);  // what the live capture screen does
    p.on_rendered(now);
  }
  CHECK(frames >= 60);
}

TEST_CASE("a loop that asks for a frame a second ahead every turn still draws once a second") {
  // The shell asks for now + 1 s on every turn mid-session; the requests must not pile up into more frames.
  // First a second of live view (a frame every 16 ms), then nothing but that.
  FramePacer p(0, 1000ms);
  const auto t = FramePacer::Clock::now();
  p.request_frame_at(t);
  int frames = 0;
  for (auto now = t; now < t + 11s;) {
    p.request_frame_at(now + 1s);
    if (p.should_render(now)) {
      if (now >= t + 1s) ++frames;
      if (now < t + 1s) p.request_frame_at(now + 16ms);
      p.on_rendered(now);
    }
    now += std::chrono::milliseconds(std::max(1, p.wait_timeout_ms(now)));
  }
  CHECK(frames >= 9);
  CHECK(frames <= 12);
}

TEST_CASE("continuous mode draws every frame until turned off") {
  FramePacer p(3);
  const auto t = FramePacer::Clock::now();
  drain(p, t);
  p.set_continuous(true);
  CHECK(p.wait_timeout_ms(t) == 0);
  CHECK(p.should_render(t + 1s));
  p.set_continuous(false);
  CHECK_FALSE(p.should_render(t + 1s));
}
