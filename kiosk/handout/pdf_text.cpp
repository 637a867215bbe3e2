#include "handout/pdf_text.h"

#include <pango/pangocairo.h>

#include <memory>
#include <string>

namespace kiosk::handout {
namespace {

constexpr const char* kFontFamily = "DejaVu Sans";  // fonts-dejavu-core: covers Spanish

struct LayoutDeleter {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};

}  // namespace

double PdfText::layout(std::string_view text, const TextStyle& style, double width, std::string_view label, bool draw,
                       double x, double y) const {
  std::unique_ptr<PangoLayout, LayoutDeleter> l(pango_cairo_create_layout(cr_));
  PangoFontDescription* font = pango_font_description_new();
  pango_font_description_set_family_static(font, kFontFamily);
  pango_font_description_set_absolute_size(font, style.size * scale_ * PANGO_SCALE);
  pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(l.get(), font);
  pango_font_description_free(font);
  std::string all;
  if (!label.empty()) {
    all.append(label);
    all.append(" ");
  }
  all.append(text);
  pango_layout_set_text(l.get(), all.data(), static_cast<int>(all.size()));
  if (!label.empty()) {
    PangoAttrList* attrs = pango_attr_list_new();
    PangoAttribute* bold = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
    bold->start_index = 0;
    bold->end_index = static_cast<guint>(label.size());
    pango_attr_list_insert(attrs, bold);
    pango_layout_set_attributes(l.get(), attrs);
    pango_attr_list_unref(attrs);
  }
  if (width > 0) {
    pango_layout_set_width(l.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    if (style.one_line) pango_layout_set_ellipsize(l.get(), PANGO_ELLIPSIZE_END);
    if (style.centre) pango_layout_set_alignment(l.get(), PANGO_ALIGN_CENTER);
  }
  int w = 0, h = 0;
  pango_layout_get_size(l.get(), &w, &h);
  if (draw) {
    cairo_save(cr_);
    cairo_set_source_rgb(cr_, style.grey, style.grey, style.grey);
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, l.get());
    cairo_restore(cr_);
  }
  return (width > 0 ? static_cast<double>(h) : static_cast<double>(w)) / PANGO_SCALE;
}

double PdfText::height(std::string_view text, const TextStyle& style, double width, std::string_view label) const {
  return layout(text, style, width, label, false, 0, 0);
}

double PdfText::draw(std::string_view text, const TextStyle& style, double x, double y, double width,
                     std::string_view label) const {
  return layout(text, style, width, label, true, x, y);
}

double PdfText::width(std::string_view text, const TextStyle& style) const {
  return layout(text, style, 0, {}, false, 0, 0);
}

}  // namespace kiosk::handout
