// The staff screens over the attract screen: the PIN pad, then the
// clinician's and the technician's pages (staff::StaffDesk is the model).
// Touch-first like the patient's screens, in the clinic's language.
#pragma once
#include <string>

#include "staff/staff_desk.h"
#include "ui/screens/screen.h"
#include "ui/widgets.h"

namespace kiosk::ui {

struct StaffUiState {
  NumberEntry pin;
  std::string message;  // the pad's last answer (wrong, locked, not set)
};

void draw_staff(ScreenContext& ctx, staff::StaffDesk& desk, StaffUiState& ui);

}  // namespace kiosk::ui
