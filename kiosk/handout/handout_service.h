// One patient's handout from the kiosk: plan it from the session (the Lua
// rules), render the PDF, send it to the printer, and say how it is going
// in the patient's own words. A session that is not cleared gets the
// "please speak to the clinic team" sheet (handout/plan_safety.h). Thread: main (UI) thread; the
// printing itself runs on the PrintJob's worker.
#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/session/session.h"
#include "core/storage/session_store.h"
#include "handout/assets.h"
#include "handout/print_job.h"
#include "handout/render.h"
#include "script/chart.h"

namespace kiosk::handout {

struct Plan;           // handout/plan.h
struct PreviousVisit;  // handout/chart_rows.h

// What became of one patient's handout, for the session's record.
struct HandoutRecord {
  std::string plan;  // plan_json() as text, for the store; empty: none was made
  storage::PrintStatus print = storage::PrintStatus::none;
  std::string detail;              // for staff: what the printer said
  std::filesystem::path kept_pdf;  // kept for staff (failed print, demo mode); empty: none
};

// The finished screen's preview of the sheet, in the patient's language.
struct PlanPreview {
  double total_minutes = 0;        // a day's exercise
  std::vector<std::string> lines;  // one per exercise: "Calf stretch — 3 sets of 30 s. Every day."
};

// The record's word for a print job's progress: the one mapping.
storage::PrintStatus record_status(const PrintProgress& job);
// Puts the handout into the session's record: plan, print status, detail and the kept PDF's bytes.
void add_to_record(storage::SessionRecord& record, const HandoutRecord& handout);

class HandoutService {
 public:
  // spool_dir: where PDFs are rendered (removed once printed); keep_dir:
  // where a PDF stays for a staff reprint when printing fails (or in demo mode).
  HandoutService(const HandoutAssets& assets, RenderOptions render, std::string printer,
                 std::filesystem::path spool_dir, std::filesystem::path keep_dir);
  ~HandoutService();

  // Plans and renders (a few hundred ms at most), then starts printing.
  // Problems are logged in detail and shown to the patient calmly. The
  // session's safety decides whether exercises may be planned at all.
  // `charts`: the catalogue's chart declarations (script::Catalogue::charts()).
  // `previous`: the same visit code's last visit (none: no "since last time").
  void start(const session::Session& session, const script::ChartCatalogue& charts,
             const PreviousVisit* previous = nullptr);
  // The patient's words for where it stands; empty before start().
  std::string patient_text(const std::string& lang) const;
  bool finished() const;
  // The plan and where printing stands, for the session's record.
  HandoutRecord record() const;
  // The preview drawn each frame; none before a plan was made.
  const PlanPreview* preview() const { return preview_ ? &*preview_ : nullptr; }
  // The patient has gone: forget the job (a PDF kept for staff stays kept).
  void forget();

 private:
  const HandoutAssets& assets_;
  RenderOptions render_;
  std::string printer_;
  std::filesystem::path spool_dir_, keep_dir_, pdf_;
  std::unique_ptr<PrintJob> job_;
  PlanPreview preview_of(const Plan& plan) const;

  std::string plan_document_;  // plan_json() as text; empty: none
  std::optional<PlanPreview> preview_;
  std::string failed_key_;  // set when planning or rendering failed: a calm text key
};

}  // namespace kiosk::handout
