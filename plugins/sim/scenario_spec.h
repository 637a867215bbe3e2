// What the simulated plate plays, as text: space-separated key=value pairs,
// the format of KIOSK_SIM_SCENARIO and of the "kiosk.plate.sim/1" extension.
//   scenario      quiet_stance | single_leg_touchdown | heel_raises | step_off | lunge | placements
//   seed          whole number (same seed → same samples)
//   weight_n      body weight, N
//   duration_s    quiet_stance, single_leg_touchdown, step_off
//   touchdown_s, touchdown=off_plate|on_plate
//   reps, rate_per_min, first_mm, last_mm, stop=two_small_rises|touchdown|step_off|stand_still
//   step_off_s
//   lunge_period_s, heel_lift_s=T1,T2,..., heel_lift_hold_s   (lunge)
//   noise_n, drift_n_per_s                 per-cell noise (SD) and drift
//   gain_error_pct, offset_counts           the plate's "true" calibration error
//   cell_gains_pct=a,b,c,d                  ... per cell: gain % off the nominal 0.01 N/count
//   cell_offsets_counts=a,b,c,d             ... per cell: raw value of the empty plate
//   mass_kg, marks=x:y,x:y,..., zero_s, hold_s, move_s, wobble_n   (placements; mm, s, N)
//   replay_bds    a BDS trial file to replay for quiet_stance
//   unplug_s      the plate disappears this many seconds into a stream
//   speed         play this many times faster than real time (tests); 1 = real time
//   clock         wall | stepped: "stepped" plays on a virtual clock, only as far
//                 as the host advances it ("kiosk.plate.sim/1" advance(); tests);
//                 speed is then ignored. Tests and `kioskctl calibrate` advance
//                 it; the kiosk program does not (its plate would stand still)
//   board         plate | wii: "wii" plays a Wii Balance Board (plugins/wiiboard):
//                 cells 433 × 238 mm apart, 0.0981 N per count (10 g), whole
//                 non-negative counts, one rate of 100 Hz with Gaussian timing
//                 jitter (SD 3 ms) as its Bluetooth link gives; gain and offset
//                 keys stay relative to that board
// The plugin reads the plate's own keys (noise, gains, offsets, speed, clock) from
// KIOSK_SIM_PLATE at init and puts them under every scenario it is given.
// Every key is one row of a table (kKeys in scenario_spec.cpp); an unknown
// key is refused with the list of known ones.
#pragma once
#include <stdexcept>
#include <string_view>

#include "sim/scenario.h"

namespace kiosk::sim {

struct SimSpec {
  ScenarioConfig scenario;
  bool wii_board = false;  // board=wii
  double unplug_s = 0;     // 0: never
  double speed = 1;        // pacing: device seconds per wall-clock second
  bool stepped = false;    // clock=stepped: device time moves only by advance()
};

// Throws std::invalid_argument naming the key and value it cannot use.
SimSpec parse_spec(std::string_view text);

// Newtons per raw count of the simulated plate's nominal calibration.
inline constexpr double kSimNewtonsPerCount = 0.01;

// The Wii Balance Board as board=wii plays it (plugins/wiiboard/README.md).
inline constexpr double kWiiNewtonsPerCount = 0.0981;
inline constexpr double kWiiHalfSpanX_mm = 216.5, kWiiHalfSpanY_mm = 119;
inline constexpr double kWiiJitter_s = 0.003;

}  // namespace kiosk::sim
