// The marks a technician puts the known mass on, read from a TOML file.
// Format version 1 (a public surface: kioskctl calibrate --positions, the
// technician screen; example devices/calibration/five_marks.toml):
//
//   format = 1                     # required; this reader knows 1
//   name = "Five marks"            # optional, shown to the technician
//   [timing]                       # optional; seconds, what --unattended (and the
//   zero_s = 4                     #   simulated plate) follow: empty plate first (≥ 4),
//   hold_s = 5                     #   the mass resting on each mark (≥ 4: ~1.5 s to
//                                  #   settle, then 2 s are read),
//   move_s = 2                     #   the plate empty between marks (≥ 0.5)
//   timeout_s = 60                 #   give up waiting for one step after this (≥ 5)
//   [[mark]]                       # at least 5, in the order they are used
//   name = "centre"                # unique, 1..40 characters
//   x_mm = 0                       # from the plate centre, + to the right
//   y_mm = 0                       # + toward the toes
//
// Every error names the file, the line and the key.
#pragma once
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/calibration/calibration_math.h"

namespace kiosk::calibration {

inline constexpr int kPositionsFormat = 1;

struct Timing {
  double zero_s = 4;
  double hold_s = 5;
  double move_s = 2;
  double timeout_s = 60;
};

struct PositionsFile {
  std::string name;
  Timing timing;
  std::vector<Mark> marks;
};

class PositionsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws PositionsError ("five.toml:12: mark[2].x_mm: must be a number from -1000 to 1000").
PositionsFile parse_positions(std::string_view toml_text, std::string_view source);
PositionsFile load_positions(const std::filesystem::path& file);

// The five standard marks (centre and four quadrants at 60 % of the half
// spans), for the spot check and when a technician has no file.
std::vector<Mark> standard_marks(double half_span_x_mm, double half_span_y_mm);

}  // namespace kiosk::calibration
