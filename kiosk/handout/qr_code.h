// QR codes on printed pages: a link encoded by libqrencode (level M, 8-bit)
// and drawn as vector squares inside the 4-module quiet zone the standard
// asks for. Used by the handout for the clinic's links (config [handout]).
// Thread: any; each call owns its data.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

typedef struct _cairo cairo_t;

namespace kiosk::handout {

inline constexpr int kQrQuietModules = 4;  // ISO/IEC 18004: 4 light modules on every side

// A symbol's dark and light modules, row by row (size × size).
struct QrCode {
  int size = 0;
  std::vector<bool> dark;
  bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * size + x)]; }
};

// Null when `text` is empty or needs a larger symbol than kMaxLinkBytes allows (core/config.h).
std::optional<QrCode> encode_qr(std::string_view text);

// Draws the code with its quiet zone: `side` (points) is the whole square,
// quiet zone included, its top-left at x, y. White quiet zone, black modules.
void draw_qr(cairo_t* cr, const QrCode& code, double x, double y, double side);

// The exercise's link: `{exercise}` in the template becomes the card's id,
// percent-encoded where a URL needs it.
std::string exercise_link(std::string_view url_template, std::string_view exercise_id);

}  // namespace kiosk::handout
