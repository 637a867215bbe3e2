#include "handout/qr_code.h"

#include <cairo.h>
#include <qrencode.h>

#include <memory>

#include "core/config.h"
#include "core/url.h"

namespace kiosk::handout {

std::optional<QrCode> encode_qr(std::string_view text) {
  if (text.empty() || text.size() > kMaxLinkBytes) return std::nullopt;
  const std::string data(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(QRcode_encodeString8bit(data.c_str(), 0, QR_ECLEVEL_M),
                                                     &QRcode_free);
  if (!qr) return std::nullopt;
  QrCode code;
  code.size = qr->width;
  code.dark.reserve(static_cast<std::size_t>(qr->width * qr->width));
  for (int i = 0; i < qr->width * qr->width; ++i) code.dark.push_back((qr->data[i] & 1) != 0);  // bit 0: dark
  return code;
}

void draw_qr(cairo_t* cr, const QrCode& code, double x, double y, double side) {
  const double m = side / (code.size + 2 * kQrQuietModules);  // one module, points
  cairo_save(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, x, y, side, side);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  const double x0 = x + kQrQuietModules * m, y0 = y + kQrQuietModules * m;
  for (int row = 0; row < code.size; ++row)
    for (int col = 0; col < code.size;) {  // one rectangle per run of dark modules: no seams between them
      if (!code.at(col, row)) {
        ++col;
        continue;
      }
      const int start = col;
      while (col < code.size && code.at(col, row)) ++col;
      cairo_rectangle(cr, x0 + start * m, y0 + row * m, (col - start) * m, m);
    }
  cairo_fill(cr);
  cairo_restore(cr);
}

std::string exercise_link(std::string_view url_template, std::string_view exercise_id) {
  const std::string id = percent_encoded(exercise_id);
  std::string out(url_template);
  for (auto at = out.find(kExercisePlaceholder); at != std::string::npos;
       at = out.find(kExercisePlaceholder, at + id.size()))
    out.replace(at, kExercisePlaceholder.size(), id);
  return out;
}

}  // namespace kiosk::handout
