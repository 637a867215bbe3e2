// The handout as a PDF: cairo draws, pango lays out every text, librsvg
// draws the exercise figures and an SVG logo. A4 or US Letter, one page for
// a "please speak to the clinic team" sheet, otherwise up to two pages (the
// text is set a little smaller until it fits). The clinic's links, when
// configured, are QR codes: one on each exercise card, one for the sheet;
// a refer sheet has none. All words come from the
// assets (HandoutAssets::texts and the exercise cards), none from C++.
// Thread: any one thread per call (cairo/pango objects are per call); the
// UI may run it on a worker, it only reads the assets and the plan.
#pragma once
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "core/config.h"
#include "handout/assets.h"
#include "handout/plan.h"

namespace kiosk::handout {

struct RenderOptions {
  std::string paper = "a4";             // "a4" | "letter" (config printing.paper)
  std::string clinic_name;              // config clinic.name; empty → doc.default_clinic text
  std::filesystem::path clinic_logo;    // config clinic.logo (PNG or SVG); empty → assets/branding/logo.svg
  std::chrono::year_month_day today{};  // printed date and the base of the recheck date; {} → today (local)
  std::string exercise_link;            // config handout.exercise_link ({exercise}); empty → no code on the cards
  std::string sheet_link;               // config handout.sheet_link; empty → no code for the sheet
};

struct RenderResult {
  int pages = 0;
  std::uintmax_t bytes = 0;  // size of the PDF file
};

// The options the kiosk's config gives (paper, clinic, links); today stays {}.
RenderOptions render_options(const Config& config);

class RenderError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Writes `out` (replacing it). Throws RenderError (cannot write, does not fit).
RenderResult render_pdf(const HandoutAssets& assets, const Plan& plan, const RenderOptions& options,
                        const std::filesystem::path& out);

// "5 December 2025" / "5 de diciembre de 2025", from the assets' date words.
std::string date_text(const HandoutAssets& assets, std::string_view lang, std::chrono::year_month_day day);

}  // namespace kiosk::handout
