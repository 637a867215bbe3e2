#include "handout/calibration_certificate.h"

#include <cairo.h>
#include <fmt/format.h>

#include "core/utc_time.h"
#include "handout/pdf_page.h"
#include "handout/pdf_text.h"
#include "handout/plan.h"

namespace kiosk::handout {
namespace {

constexpr double kMargin = 15 * kMm;
constexpr double kRow = 6.5 * kMm;  // table row height

class Certificate {
 public:
  Certificate(const calibration::CalibrationRecord& r, const TextCatalog& texts, const CertificateOptions& o,
              PdfText& t)
      : r_(r), texts_(texts), o_(o), t_(t) {}

  std::string tr(std::string_view key) const {
    return std::string(texts_.get(o_.lang, "calibration." + std::string(key)));
  }

  void draw(double x, double y, double w) {
    const double logo = 16 * kMm;
    if (!o_.logo.empty()) draw_logo(t_.cr(), o_.logo, x, y, logo);
    const double tx = o_.logo.empty() ? x : x + logo + 5 * kMm;
    double h = t_.draw(o_.clinic_name.empty() ? tr("default_clinic") : o_.clinic_name, {15, true}, tx, y, w - (tx - x));
    h += t_.draw(tr(r_.kind == calibration::RunKind::check ? "certificate_check_title" : "certificate_title"), {13}, tx,
                 y + h, w - (tx - x));
    y += std::max(logo, h) + 3 * kMm;
    rule(x, y, w);
    y += 4 * kMm;

    const bool pass = r_.passed() && r_.status == calibration::RunStatus::accepted;
    const std::string verdict = r_.refused.empty() ? tr(pass ? "result_pass" : "result_fail") : tr("result_refused");
    rounded_box(t_.cr(), x, y, w, 12 * kMm, 2 * kMm, pass ? 0.9 : 0.75, 0.2);
    t_.draw(verdict, {16, true, 0, true, true}, x, y + 3 * kMm, w);
    y += 16 * kMm;

    const auto expires = kiosk::parse_iso_utc(r_.created_at);
    std::vector<std::pair<std::string, std::string>> facts{
        {tr("plate"), fmt::format("{} — {} {}", r_.device_model, tr("serial"), r_.device_serial)},
        {tr("when"), r_.created_at.substr(0, 16).replace(10, 1, " ") + " UTC"},
        {tr("technician"), r_.technician.empty() ? "—" : r_.technician},
        {tr("mass"), fmt::format("{} kg", number_text(r_.mass_kg))},
        {tr("positions"), r_.positions_name},
        {tr("record"), fmt::format("#{} ({})", r_.id, tr(std::string("status_") + std::string(to_string(r_.status))))},
    };
    if (r_.kind == calibration::RunKind::calibration && expires && pass)
      facts.emplace_back(tr("expires"), kiosk::to_iso_utc(*expires + std::chrono::days(o_.expiry_days)).substr(0, 10));
    if (!r_.refused.empty()) facts.emplace_back(tr("refused_because"), r_.refused);
    for (const auto& [label, value] : facts) y += t_.draw(value, {10}, x, y, w, label + ": ") + 1 * kMm;
    y += 4 * kMm;

    y += t_.draw(tr("table_title"), {12, true}, x, y, w) + 2 * kMm;
    const auto& v = r_.verification;
    const std::vector<double> cols{0, 0.2, 0.34, 0.48, 0.62, 0.78, 0.9};
    const std::vector<std::string> head{tr("col_mark"),      "x mm",      "y mm", "Fz N", tr("col_force_error"),
                                        tr("col_cop_error"), tr("col_ok")};
    row(x, y, w, cols, head, true);
    y += kRow;
    for (const auto& p : v.placements) {
      row(x, y, w, cols,
          {p.mark.name, number_text(p.mark.x_mm), number_text(p.mark.y_mm), fmt::format("{:.1f}", p.fz_n),
           fmt::format("{:+.2f} %", p.force_error_pct), fmt::format("{:.1f} mm", p.cop_error_mm),
           p.passed ? tr("yes") : tr("no")},
          false);
      y += kRow;
    }
    y += 2 * kMm;
    y += t_.draw(fmt::format("{} {:.2f} % · {:.1f} mm   {} ±{} % · {} mm", tr("rms"), v.rms_force_pct, v.rms_cop_mm,
                             tr("thresholds"), number_text(v.thresholds.force_pct), number_text(v.thresholds.cop_mm)),
                 {10}, x, y, w) +
         5 * kMm;

    if (r_.refused.empty()) {
      y += t_.draw(tr("applied_title"), {12, true}, x, y, w) + 2 * kMm;
      const std::vector<double> c4{0, 0.25, 0.5, 0.75};
      row(x, y, w, c4, {tr("col_cell"), tr("col_gain"), tr("col_offset"), tr("col_position")}, true);
      y += kRow;
      static const char* kCells[] = {"c0", "c1", "c2", "c3"};
      for (std::size_t c = 0; c < 4; ++c) {
        row(x, y, w, c4,
            {fmt::format("{} {}", kCells[c], tr(std::string("cell_") + kCells[c])),
             fmt::format("{:.6f}", r_.layout.gain_n_per_unit[c]), fmt::format("{:.1f}", r_.layout.offset_units[c]),
             fmt::format("{}, {} mm", number_text(r_.layout.cell_x_mm(c)), number_text(r_.layout.cell_y_mm(c)))},
            false);
        y += kRow;
      }
      if (r_.kind == calibration::RunKind::calibration)
        y += t_.draw(fmt::format("{} {:.1f}", tr("condition"), r_.condition), {9, false, 0.35}, x, y + 1 * kMm, w);
      y += 8 * kMm;
    }
    t_.draw(tr("signature"), {10}, x, y + 10 * kMm, w);
    cairo_set_source_rgb(t_.cr(), 0, 0, 0);
    cairo_set_line_width(t_.cr(), 0.6);
    cairo_move_to(t_.cr(), x + 45 * kMm, y + 15 * kMm);
    cairo_line_to(t_.cr(), x + w * 0.75, y + 15 * kMm);
    cairo_stroke(t_.cr());
  }

 private:
  void rule(double x, double y, double w) const {
    cairo_set_source_rgb(t_.cr(), 0, 0, 0);
    cairo_set_line_width(t_.cr(), 1.2);
    cairo_move_to(t_.cr(), x, y);
    cairo_line_to(t_.cr(), x + w, y);
    cairo_stroke(t_.cr());
  }
  void row(double x, double y, double w, const std::vector<double>& cols, const std::vector<std::string>& cells,
           bool head) const {
    if (head) rounded_box(t_.cr(), x - 1 * kMm, y - 0.8 * kMm, w + 2 * kMm, kRow, 1 * kMm, 0.92, 0.92);
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const double cw = (i + 1 < cols.size() ? cols[i + 1] : 1.0) - cols[i];
      t_.draw(cells[i], {9, head, 0, true}, x + cols[i] * w, y, cw * w - 1 * kMm);
    }
  }

  const calibration::CalibrationRecord& r_;
  const TextCatalog& texts_;
  const CertificateOptions& o_;
  PdfText& t_;
};

}  // namespace

RenderResult render_certificate(const calibration::CalibrationRecord& record, const TextCatalog& texts,
                                const CertificateOptions& options, const std::filesystem::path& out) {
  const Paper paper = paper_size(options.paper);
  try {
    PdfFile pdf(out, paper, std::string(texts.get(options.lang, "calibration.certificate_title")));
    PdfText text(pdf.cr(), 1.0);
    Certificate(record, texts, options, text).draw(kMargin, kMargin, paper.width - 2 * kMargin);
    cairo_show_page(pdf.cr());
    return {1, pdf.finish()};
  } catch (const std::runtime_error& e) {
    throw RenderError(e.what());
  }
}

}  // namespace kiosk::handout
