// Which calibration the host applies to a plate's raw cells. Today: the
// nominal one from the plate's own description (counts→newtons, cell
// positions); a technician's stored calibration replaces it (calibration
// issue). The maths itself is signal::cells_to_load, the one home for it.
#pragma once
#include <string>
#include <variant>

#include "core/signal/cell_layout.h"
#include "kiosk_plate.h"

namespace kiosk::plates {

// A layout, or why this plate cannot be used (for staff screens and the log):
// the host's maths handles four cells at the corners of a rectangle centred
// on the plate (c0 front-left, c1 front-right, c2 back-left, c3 back-right).
std::variant<signal::CellLayout, std::string> nominal_layout(const kp_device_info& info);

}  // namespace kiosk::plates
