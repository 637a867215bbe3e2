// The simulated plate's virtual clock: under the spec key clock=stepped the
// sim plays device time only when advanced ("kiosk.plate.sim/1" advance(),
// across the plate host's socket), so tests and benchmarks play exactly the
// plate time they need instead of waiting on the wall clock.
// Thread: main thread.
#pragma once
#include <string>

#include "plates/plugin_host.h"

namespace kiosk::plates {

// The key that puts the sim on the virtual clock (a scenario spec or KIOSK_SIM_PLATE).
inline constexpr const char* kSteppedClock = "clock=stepped";
// The longest stretch one advance() plays: 0.5 s is 5000 samples at 10 kHz, well inside every ring.
inline constexpr double kMaxAdvance_s = 0.5;

// How the sim plays what it is told to act out (a technician, a patient):
// at its own pace (KIOSK_SIM_PLATE; real time unless it says speed=),
// `speed` times faster than life, or on the virtual clock.
struct SimPace {
  double speed = 0;                              // > 0: this many times faster than life
  bool stepped = false;                          // the virtual clock: only as far as advance_sim() plays
  SimPace(double faster = 0) : speed(faster) {}  // NOLINT: implicit, a speed is a pace
  static SimPace virtual_clock() {
    SimPace p;
    p.stepped = true;
    return p;
  }
  std::string keys() const;  // for a scenario spec: "", " speed=3" or " clock=stepped"
};

// Plays `seconds` of device time on `plugin`'s stepped sim plate (in steps
// of at most kMaxAdvance_s). When it returns, the samples are in the open
// streams (DeviceStream::drain, PlateFeed::pump), and a simulated unplug
// within it has ended its stream. Drain between calls: a ring holds a few
// seconds. KP_OK; KP_ERR_NA when the plugin has no stepped sim; KP_ERR_STATE
// when the sim plays on the wall clock.
int advance_sim(const LoadedPlugin& plugin, double seconds);
// True when `plugin` is a sim whose next stream plays on the virtual clock
// (its spec, e.g. KIOSK_SIM_PLATE="clock=stepped", says so).
bool sim_is_stepped(const LoadedPlugin& plugin);

}  // namespace kiosk::plates
