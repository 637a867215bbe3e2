#include "plates/plate_calibration.h"

#include <fmt/format.h>

#include <cmath>

namespace kiosk::plates {

std::variant<signal::CellLayout, std::string> nominal_layout(const kp_device_info& info) {
  if (info.cell_count != signal::kCellCount)
    return fmt::format("{} load cells: this kiosk measures with plates of {} cells", info.cell_count,
                       signal::kCellCount);
  if (!(info.newtons_per_count > 0) || !std::isfinite(info.newtons_per_count))
    return fmt::format("nominal gain {} N/count is not a positive number", info.newtons_per_count);
  signal::CellLayout layout;
  layout.half_span_x_mm = std::abs(info.cell_x_mm[1]);
  layout.half_span_y_mm = std::abs(info.cell_y_mm[0]);
  constexpr double kTolerance_mm = 0.5;
  for (std::size_t c = 0; c < signal::kCellCount; ++c) {
    if (std::abs(info.cell_x_mm[c] - layout.cell_x_mm(c)) > kTolerance_mm ||
        std::abs(info.cell_y_mm[c] - layout.cell_y_mm(c)) > kTolerance_mm || layout.half_span_x_mm < 10 ||
        layout.half_span_y_mm < 10)
      return fmt::format("cell {} at ({}, {}) mm: cells must sit at the corners of a rectangle centred on the "
                         "plate, front-left, front-right, back-left, back-right",
                         c, info.cell_x_mm[c], info.cell_y_mm[c]);
    layout.gain_n_per_unit[c] = info.newtons_per_count;
    layout.offset_units[c] = 0;
  }
  return layout;
}

}  // namespace kiosk::plates
