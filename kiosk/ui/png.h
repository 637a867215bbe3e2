// Writes RGBA8 pixels as a PNG (stb_image_write). Used for screenshots.
#pragma once
#include <cstdint>
#include <filesystem>
#include <vector>

namespace kiosk::ui {

struct Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgba;  // row-major, 4 bytes a pixel, no padding
};

// Returns false (and leaves no partial file) when the file cannot be written.
bool write_png(const std::filesystem::path& file, const Image& image);

}  // namespace kiosk::ui
