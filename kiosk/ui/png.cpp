#include "ui/png.h"

#include <stb_image_write.h>

namespace kiosk::ui {

bool write_png(const std::filesystem::path& file, const Image& image) {
  if (image.width <= 0 || image.height <= 0 || image.rgba.size() != static_cast<size_t>(image.width) * image.height * 4)
    return false;
  auto tmp = file;
  tmp += ".part";
  if (!stbi_write_png(tmp.c_str(), image.width, image.height, 4, image.rgba.data(), image.width * 4)) return false;
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  return !ec;
}

}  // namespace kiosk::ui
