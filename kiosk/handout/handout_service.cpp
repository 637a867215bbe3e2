#include "handout/handout_service.h"

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "core/log.h"
#include "handout/plan.h"

namespace kiosk::handout {

HandoutService::HandoutService(const HandoutAssets& assets, RenderOptions render, std::string printer,
                               std::filesystem::path spool_dir, std::filesystem::path keep_dir)
    : assets_(assets),
      render_(std::move(render)),
      printer_(std::move(printer)),
      spool_dir_(std::move(spool_dir)),
      keep_dir_(std::move(keep_dir)) {}

HandoutService::~HandoutService() { forget(); }

void HandoutService::start(const session::Session& session, const script::ChartCatalogue& charts,
                           const PreviousVisit* previous) {
  forget();
  auto logger = log::get("handout");
  try {
    const Plan plan = make_plan(assets_, session, session.lang, charts, previous);
    plan_document_ = plan_json(assets_, plan).dump();
    preview_ = preview_of(plan);
    std::filesystem::create_directories(spool_dir_);
    const auto stamp =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    pdf_ = spool_dir_ / fmt::format("handout-{}.pdf", stamp);
    const auto rendered = render_pdf(assets_, plan, render_, pdf_);
    logger->info("handout rendered pages={} bytes={} exercises={}", rendered.pages, rendered.bytes,
                 plan.exercises.size());
    job_ = PrintJob::start({pdf_, printer_, keep_dir_});
  } catch (const std::exception& e) {
    logger->error("handout could not be made: {}", e.what());
    failed_key_ = "print.failed_rejected";
  }
}

std::string HandoutService::patient_text(const std::string& lang) const {
  if (!failed_key_.empty()) return std::string(assets_.texts.get(lang, failed_key_));
  if (!job_) return {};
  return std::string(assets_.texts.get(lang, job_->status().patient_text_key));
}

bool HandoutService::finished() const { return !failed_key_.empty() || (job_ && job_->status().finished()); }

PlanPreview HandoutService::preview_of(const Plan& plan) const {
  PlanPreview out;
  out.total_minutes = plan.total_minutes;
  for (const auto& ex : plan.exercises)
    out.lines.push_back(ex.card->name.in(plan.lang) + " — " + dose_text(assets_, ex, plan.lang));
  return out;
}

HandoutRecord HandoutService::record() const {
  HandoutRecord out;
  out.plan = plan_document_;
  if (job_) {
    const auto s = job_->status();
    out.print = record_status(s);
    out.detail = s.detail;
    out.kept_pdf = s.saved_to;
  } else if (!failed_key_.empty()) {
    out.print = storage::PrintStatus::failed;
    out.detail = "the handout could not be made (see the handout log)";
  }
  return out;
}

storage::PrintStatus record_status(const PrintProgress& job) {
  switch (job.state) {
    case PrintState::queued:
    case PrintState::printing:
      return storage::PrintStatus::pending;
    case PrintState::done:
      return job.saved_to.empty() ? storage::PrintStatus::printed : storage::PrintStatus::saved;
    case PrintState::failed:
      return storage::PrintStatus::failed;
  }
  return storage::PrintStatus::failed;
}

void add_to_record(storage::SessionRecord& record, const HandoutRecord& handout) {
  record.plan = handout.plan;
  record.print = handout.print;
  record.print_detail = handout.detail;
  if (handout.kept_pdf.empty()) return;
  std::ifstream pdf(handout.kept_pdf, std::ios::binary);
  record.handout_pdf.assign(std::istreambuf_iterator<char>(pdf), {});
}

void HandoutService::forget() {
  job_.reset();  // cancels and joins a running job
  if (!pdf_.empty()) {
    std::error_code ec;
    std::filesystem::remove(pdf_, ec);  // the spool copy; a kept copy for staff is elsewhere
    pdf_.clear();
  }
  plan_document_.clear();
  preview_.reset();
  failed_key_.clear();
}

}  // namespace kiosk::handout
