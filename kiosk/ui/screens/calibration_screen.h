// The calibration wizard on the technician screen (behind the staff PIN):
// a picture of the plate with the mark to use, a stability indicator, live
// raw and calibrated channels as plots, the results table, Accept / Reject.
// Words: the [calibration] table of assets/strings, in ctx.language (the
// clinic's language on staff screens). It draws one frame of the wizard
// and reports the technician's decision; it stores nothing: on accepted or
// rejected the caller saves wizard.record() (storage::CalibrationStore) and
// calls PlateCalibrations::refresh(); on closed it drops the wizard.
// Thread: UI thread, inside an ImGui frame; pump the wizard before drawing.
#pragma once
#include "plates/calibration_wizard.h"
#include "ui/screens/screen.h"

namespace kiosk::ui {

enum class CalibrationUiEvent {
  none,
  accepted,  // the technician accepted the report: store the record (status accepted)
  rejected,  // ... rejected it, or stopped the run: store the record as it is
  closed,    // Close on a finished run: leave the screen
};

CalibrationUiEvent draw_calibration(ScreenContext& ctx, plates::CalibrationWizard& wizard);

}  // namespace kiosk::ui
