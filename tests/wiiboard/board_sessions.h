// What a person or a technician does on the emulated Wii board, as the
// board reports it (kernel order TR, BR, TL, BL; integer 10 g counts; times
// with Bluetooth jitter): a sim scenario sampled the way the board samples,
// and the calibration wizard's session with a known mass on the marks.
#pragma once
#include <cstdint>
#include <vector>

#include "plates/calibration_wizard.h"
#include "signal/cell_layout.h"
#include "sim/scenario.h"
#include "wiiboard/emulator/emulated_board.h"

namespace kiosk::test {

inline constexpr double kWiiNewtonsPerCount = 0.0981;  // the kernel's 10 g

// The board's sensor rectangle (plugins/wiiboard: Leach et al. 2014) with the
// nominal gain and no offsets: a board exactly as the kernel reports it.
signal::CellLayout nominal_board();

// The scenario (its `true_layout` replaced by `board`) at 1 kHz, read at
// `rate_hz` with Gaussian jitter (SD jitter_s, never out of order).
std::vector<wiiemu::Report> board_reports(sim::ScenarioConfig scenario, const signal::CellLayout& board, double rate_hz,
                                          double jitter_s, uint32_t seed);

// The standard five marks with a 20 kg mass (devices/calibration/five_marks.toml).
plates::WizardSetup five_marks();

// The wizard's session (empty, then the mass on each mark) on a board whose
// true cells are `board`, with 0.3 N of noise, at a jittered 100 Hz.
std::vector<wiiemu::Report> calibration_session(const plates::WizardSetup& setup, const signal::CellLayout& board);

}  // namespace kiosk::test
