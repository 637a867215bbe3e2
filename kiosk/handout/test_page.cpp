#include "handout/test_page.h"

#include <cairo-pdf.h>
#include <fmt/format.h>

#include "handout/pdf_page.h"
#include "handout/pdf_text.h"
#include "handout/render.h"

namespace kiosk::handout {

void render_test_page(const std::vector<std::string>& lines, const std::string& paper,
                      const std::filesystem::path& out) {
  const double width = paper == "letter" ? 8.5 * 72 : 210 * kMm;
  const double height = paper == "letter" ? 11 * 72 : 297 * kMm;
  cairo_surface_t* surface = cairo_pdf_surface_create(out.c_str(), width, height);
  if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surface);
    throw RenderError(fmt::format("{}: cannot write the test page", out.string()));
  }
  cairo_t* cr = cairo_create(surface);
  PdfText text(cr, 1.0);
  const double x = 20 * kMm, w = width - 40 * kMm;
  double y = 20 * kMm;
  for (std::size_t i = 0; i < lines.size(); ++i)
    y += text.draw(lines[i], TextStyle{i == 0 ? 20.0 : 11.0, i == 0, 0, false, false}, x, y, w) + 3 * kMm;
  y += 8 * kMm;
  for (int step = 0; step <= 10; ++step) {  // grey ramp: black to white in 10 % steps
    cairo_set_source_rgb(cr, step / 10.0, step / 10.0, step / 10.0);
    cairo_rectangle(cr, x + step * w / 11, y, w / 11, 15 * kMm);
    cairo_fill(cr);
  }
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 0.5);
  cairo_rectangle(cr, x, y, w, 15 * kMm);
  cairo_stroke(cr);
  y += 25 * kMm;
  for (int mm = 0; mm <= 100; ++mm) {  // a 10 cm ruler: a printer that scales the page shows it here
    const double tick = mm % 10 == 0 ? 6 : mm % 5 == 0 ? 4 : 2;
    cairo_move_to(cr, x + mm * kMm, y);
    cairo_line_to(cr, x + mm * kMm, y + tick * kMm);
  }
  cairo_move_to(cr, x, y);
  cairo_line_to(cr, x + 100 * kMm, y);
  cairo_stroke(cr);
  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const auto status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) throw RenderError(fmt::format("{}: cannot write the test page", out.string()));
}

}  // namespace kiosk::handout
