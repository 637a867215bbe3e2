// Four load cells at the corners of a rectangle centred on the plate origin,
// and the maths between raw cell values and Fz/COP. Cell order (seen from
// above, person facing +y): c0 front-left, c1 front-right, c2 back-left,
// c3 back-right.
#pragma once
#include "signal/recording.h"

namespace kiosk::signal {

struct CellLayout {
  double half_span_x_mm = 150;             // cells at x = ±half_span_x_mm
  double half_span_y_mm = 200;             // cells at y = ±half_span_y_mm
  CellValues gain_n_per_unit{1, 1, 1, 1};  // newtons per raw unit
  CellValues offset_units{0, 0, 0, 0};     // raw value with no load

  double cell_x_mm(std::size_t cell) const { return cell % 2 == 0 ? -half_span_x_mm : half_span_x_mm; }
  double cell_y_mm(std::size_t cell) const { return cell < 2 ? half_span_y_mm : -half_span_y_mm; }
};

// Fz = Σ Fi, COP = Σ Fi·pi / Fz (moment balance about the origin). Below
// kUnloadedFz_n the COP is undefined and reported as 0, 0. `t_s` is copied.
PlateSample cells_to_load(const CellLayout& layout, const CellValues& raw, double t_s = 0);

// The inverse used by simulation: splits (Fz, COP) over the four cells with
// bilinear weights Fi = Fz/4·(1 ± x/hx)(1 ± y/hy), which reproduce Fz and the
// COP exactly; then converts newtons to raw units.
CellValues load_to_cells(const CellLayout& layout, double fz_n, double cop_x_mm, double cop_y_mm);

// Fills fz/cop columns of a raw-cell recording. Throws RecordingError if it has no cells.
void apply_cell_layout(Recording& recording, const CellLayout& layout);

}  // namespace kiosk::signal
