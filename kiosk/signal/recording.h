// One force-plate recording in memory, whatever file it came from: time in
// s, vertical force in N, centre of pressure in mm (axes as in the clinical
// brief: x mediolateral, + to the right; y anteroposterior, + toward the toes).
#pragma once
#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace kiosk::signal {

// One calibrated plate sample (the unit every detector consumes).
struct PlateSample {
  double t_s = 0;
  double fz_n = 0;
  double cop_x_mm = 0;
  double cop_y_mm = 0;
};

inline constexpr std::size_t kCellCount = 4;
using CellValues = std::array<double, kCellCount>;  // raw per-cell values, plate units

// Columns are parallel arrays (structure of arrays) so metrics run over
// contiguous doubles. A raw-cell recording also fills `cells`; its fz/cop
// columns are filled only once a cell layout has been applied.
struct Recording {
  std::string source;  // file name or scenario, for messages
  std::vector<double> t_s;
  std::vector<double> fz_n;
  std::vector<double> cop_x_mm;
  std::vector<double> cop_y_mm;
  std::vector<CellValues> cells;  // empty unless read from `t_s,c0,c1,c2,c3`

  std::size_t size() const { return t_s.size(); }
  bool has_cells() const { return !cells.empty(); }
  bool has_load() const { return fz_n.size() == t_s.size() && !t_s.empty(); }
  PlateSample sample(std::size_t i) const { return {t_s[i], fz_n[i], cop_x_mm[i], cop_y_mm[i]}; }
  void push_back(const PlateSample& s);
  // Mean sampling interval (s) from the first and last time stamps; 0 if < 2 samples.
  double mean_interval_s() const;
  double rate_hz() const;
};

// A recording that cannot be used: "rec.csv:17: cop_x_mm is not a number (got 'nan')".
class RecordingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace kiosk::signal
