// A calibration certificate: one page PDF for the plate's file — which
// plate, when, who, the mass and marks, the result at every mark against
// the thresholds, the gains and offsets applied, and when it expires.
// Words come from assets/strings ([calibration] table), in the clinic's
// language; page pieces are the handout's (pdf_page.h, pdf_text.h).
// Thread: any one thread per call.
#pragma once
#include <filesystem>
#include <string>

#include "core/calibration/calibration_record.h"
#include "core/text_catalog.h"
#include "handout/render.h"

namespace kiosk::handout {

struct CertificateOptions {
  std::string paper = "a4";    // config printing.paper
  std::string lang = "en";     // config kiosk.language
  std::string clinic_name;     // config clinic.name; empty → calibration.default_clinic
  std::filesystem::path logo;  // config clinic.logo or assets/branding/logo.svg; empty → none
  int expiry_days = 180;       // config calibration.expiry_days
};

// Writes `out` (replacing it). Throws RenderError.
RenderResult render_certificate(const calibration::CalibrationRecord& record, const TextCatalog& texts,
                                const CertificateOptions& options, const std::filesystem::path& out);

}  // namespace kiosk::handout
