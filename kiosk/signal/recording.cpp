#include "signal/recording.h"

namespace kiosk::signal {

void Recording::push_back(const PlateSample& s) {
  t_s.push_back(s.t_s);
  fz_n.push_back(s.fz_n);
  cop_x_mm.push_back(s.cop_x_mm);
  cop_y_mm.push_back(s.cop_y_mm);
}

double Recording::mean_interval_s() const {
  if (t_s.size() < 2) return 0;
  return (t_s.back() - t_s.front()) / static_cast<double>(t_s.size() - 1);
}

double Recording::rate_hz() const {
  const double dt = mean_interval_s();
  return dt > 0 ? 1.0 / dt : 0;
}

}  // namespace kiosk::signal
