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
  std::string message;         // the pad's last answer (wrong, locked, not set)
  NumberEntry visit_code;      // the clinician's visit-history look-up
  bool entering_code = false;  // its pad is up
  bool show_history = false;   // a code was just looked up: scroll its charts into view once
};

void draw_staff(ScreenContext& ctx, staff::StaffDesk& desk, StaffUiState& ui);

}  // namespace kiosk::ui
