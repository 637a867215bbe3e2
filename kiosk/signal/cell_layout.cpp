#include "signal/cell_layout.h"

#include <fmt/format.h>

#include "signal/recording_io.h"

namespace kiosk::signal {

PlateSample cells_to_load(const CellLayout& layout, const CellValues& raw, double t_s) {
  PlateSample s{t_s, 0, 0, 0};
  double mx = 0, my = 0;  // N·mm
  for (std::size_t c = 0; c < kCellCount; ++c) {
    const double f = layout.gain_n_per_unit[c] * (raw[c] - layout.offset_units[c]);
    s.fz_n += f;
    mx += f * layout.cell_x_mm(c);
    my += f * layout.cell_y_mm(c);
  }
  if (s.fz_n >= kUnloadedFz_n) {
    s.cop_x_mm = mx / s.fz_n;
    s.cop_y_mm = my / s.fz_n;
  }
  return s;
}

CellValues load_to_cells(const CellLayout& layout, double fz_n, double cop_x_mm, double cop_y_mm) {
  CellValues raw{};
  for (std::size_t c = 0; c < kCellCount; ++c) {
    const double wx = 1 + cop_x_mm / layout.cell_x_mm(c);  // cell_x = ±hx, so this is 1 ± x/hx
    const double wy = 1 + cop_y_mm / layout.cell_y_mm(c);
    const double newtons = fz_n / 4 * wx * wy;
    raw[c] = newtons / layout.gain_n_per_unit[c] + layout.offset_units[c];
  }
  return raw;
}

void apply_cell_layout(Recording& rec, const CellLayout& layout) {
  if (!rec.has_cells()) throw RecordingError(fmt::format("{}: recording has no raw cell values", rec.source));
  const auto n = rec.size();
  rec.fz_n.resize(n);
  rec.cop_x_mm.resize(n);
  rec.cop_y_mm.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto s = cells_to_load(layout, rec.cells[i], rec.t_s[i]);
    rec.fz_n[i] = s.fz_n;
    rec.cop_x_mm[i] = s.cop_x_mm;
    rec.cop_y_mm[i] = s.cop_y_mm;
  }
}

}  // namespace kiosk::signal
