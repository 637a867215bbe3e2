#include "handout/pdf_page.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>
#include <librsvg/rsvg.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/log.h"

namespace kiosk::handout {

Paper paper_size(std::string_view name) {
  if (name == "letter") return {8.5 * 72, 11 * 72};
  return {210 * kMm, 297 * kMm};
}

void SvgDeleter::operator()(RsvgHandle* h) const { g_object_unref(h); }

Svg load_svg(const std::filesystem::path& file) {
  GError* err = nullptr;
  RsvgHandle* h = rsvg_handle_new_from_file(file.c_str(), &err);
  if (!h) {
    log::get("handout")->warn("cannot read {}: {}", file.string(), err ? err->message : "?");
    if (err) g_error_free(err);
  }
  return Svg(h);
}

void draw_svg(cairo_t* cr, RsvgHandle* h, double x, double y, double w, double hgt) {
  if (!h) return;
  RsvgRectangle box{x, y, w, hgt};
  GError* err = nullptr;
  if (!rsvg_handle_render_document(h, cr, &box, &err) && err) g_error_free(err);
}

void draw_logo(cairo_t* cr, const std::filesystem::path& file, double x, double y, double size) {
  if (file.extension() == ".png") {
    cairo_surface_t* img = cairo_image_surface_create_from_png(file.c_str());
    if (cairo_surface_status(img) == CAIRO_STATUS_SUCCESS) {
      const double iw = cairo_image_surface_get_width(img), ih = cairo_image_surface_get_height(img);
      const double k = size / std::max(iw, ih);
      cairo_save(cr);
      cairo_translate(cr, x, y);
      cairo_scale(cr, k, k);
      cairo_set_source_surface(cr, img, 0, 0);
      cairo_paint(cr);
      cairo_restore(cr);
    } else {
      log::get("handout")->warn("cannot read the clinic logo {}", file.string());
    }
    cairo_surface_destroy(img);
    return;
  }
  Svg svg = load_svg(file);
  draw_svg(cr, svg.get(), x, y, size, size);
}

void rounded_box(cairo_t* cr, double x, double y, double w, double h, double r, double fill_grey, double line_grey) {
  cairo_new_sub_path(cr);
  cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
  cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
  cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
  cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
  cairo_close_path(cr);
  if (fill_grey >= 0) {
    cairo_set_source_rgb(cr, fill_grey, fill_grey, fill_grey);
    cairo_fill_preserve(cr);
  }
  cairo_set_source_rgb(cr, line_grey, line_grey, line_grey);
  cairo_set_line_width(cr, 0.7);
  cairo_stroke(cr);
}

PdfFile::PdfFile(const std::filesystem::path& file, Paper paper, const std::string& title) : file_(file) {
  surface_ = cairo_pdf_surface_create(file.c_str(), paper.width, paper.height);
  if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surface_);
    surface_ = nullptr;
    throw std::runtime_error(fmt::format("{}: cannot write the PDF", file.string()));
  }
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "heel kiosk");
  cr_ = cairo_create(surface_);
}

PdfFile::~PdfFile() {
  if (cr_) cairo_destroy(cr_);
  if (surface_) cairo_surface_destroy(surface_);
}

std::uintmax_t PdfFile::finish() {
  const auto status = cairo_status(cr_);
  cairo_destroy(cr_);
  cr_ = nullptr;
  cairo_surface_finish(surface_);
  const auto surface_status = cairo_surface_status(surface_);
  cairo_surface_destroy(surface_);
  surface_ = nullptr;
  if (status != CAIRO_STATUS_SUCCESS || surface_status != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(
        fmt::format("{}: writing the PDF failed: {}", file_.string(),
                    cairo_status_to_string(status != CAIRO_STATUS_SUCCESS ? status : surface_status)));
  std::error_code ec;
  return std::filesystem::file_size(file_, ec);
}

}  // namespace kiosk::handout
