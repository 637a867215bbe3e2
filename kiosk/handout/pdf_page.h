// Page pieces every PDF the kiosk prints shares (the handout, the
// calibration certificate): paper sizes, a PDF file on a cairo surface,
// SVG and PNG drawing (the clinic logo), a rounded box. Sizes in points.
// Thread: any one thread per document.
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

typedef struct _cairo cairo_t;
typedef struct _cairo_surface cairo_surface_t;
typedef struct _RsvgHandle RsvgHandle;

namespace kiosk::handout {

inline constexpr double kMm = 72.0 / 25.4;  // points per millimetre

struct Paper {
  double width, height;
};
Paper paper_size(std::string_view name);  // "a4" (default) | "letter"

// A PDF being written. Throws std::runtime_error (with the file name) when
// it cannot be created; finish() throws when writing failed.
class PdfFile {
 public:
  PdfFile(const std::filesystem::path& file, Paper paper, const std::string& title);
  ~PdfFile();
  PdfFile(const PdfFile&) = delete;
  PdfFile& operator=(const PdfFile&) = delete;
  cairo_t* cr() const { return cr_; }
  // Ends the document; returns its size in bytes.
  std::uintmax_t finish();

 private:
  std::filesystem::path file_;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
};

struct SvgDeleter {
  void operator()(RsvgHandle* h) const;
};
using Svg = std::unique_ptr<RsvgHandle, SvgDeleter>;

Svg load_svg(const std::filesystem::path& file);  // null (and logged) when unreadable
void draw_svg(cairo_t* cr, RsvgHandle* h, double x, double y, double w, double hgt);
// The clinic's logo: SVG (vector) or PNG, drawn to fit a square.
void draw_logo(cairo_t* cr, const std::filesystem::path& file, double x, double y, double size);
// fill_grey < 0: no fill.
void rounded_box(cairo_t* cr, double x, double y, double w, double h, double r, double fill_grey, double line_grey);

}  // namespace kiosk::handout
