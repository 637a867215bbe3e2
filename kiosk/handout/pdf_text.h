// Text on a cairo context, laid out by pango (wrapping, bold labels,
// ellipsis). All sizes in points; `scale` shrinks every font together so a
// long handout still fits its pages. Owned by one render call (one thread).
#pragma once
#include <string>
#include <string_view>

typedef struct _cairo cairo_t;

namespace kiosk::handout {

struct TextStyle {
  double size = 9.5;  // points before scaling
  bool bold = false;
  double grey = 0;        // 0 black … 1 white
  bool one_line = false;  // cut with "…" instead of wrapping
  bool centre = false;
};

class PdfText {
 public:
  PdfText(cairo_t* cr, double scale) : cr_(cr), scale_(scale) {}

  // Height of `text` wrapped to `width`; `label` (may be empty) is set bold before it.
  double height(std::string_view text, const TextStyle& style, double width, std::string_view label = {}) const;
  // Draws it with its top-left at x, y; returns its height.
  double draw(std::string_view text, const TextStyle& style, double x, double y, double width,
              std::string_view label = {}) const;
  // Width of one line of `text` (no wrapping).
  double width(std::string_view text, const TextStyle& style) const;

  double scale() const { return scale_; }
  cairo_t* cr() const { return cr_; }

 private:
  double layout(std::string_view text, const TextStyle& style, double width, std::string_view label, bool draw,
                double x, double y) const;
  cairo_t* cr_;
  double scale_;
};

}  // namespace kiosk::handout
