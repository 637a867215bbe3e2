#include "script/source_file.h"

#include <fmt/format.h>

#include <fstream>
#include <iterator>

namespace kiosk::script {

std::optional<int> first_invalid_utf8_line(std::string_view text) {
  int line = 1;
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  while (i < text.size()) {
    const unsigned char b = byte(i);
    if (b == '\n') ++line;
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
      cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      cp = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      cp = b & 0x07;
    } else {
      return line;  // a continuation byte alone, an overlong lead, or > U+10FFFF
    }
    if (i + len > text.size()) return line;
    for (std::size_t k = 1; k < len; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) return line;
      cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return line;
    i += len;
  }
  return std::nullopt;
}

std::optional<ScriptError> read_source_file(const std::filesystem::path& file, std::size_t max_bytes,
                                            std::string& text) {
  const std::string name = file.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return ScriptError{name, 0, "not found (or not a regular file)"};
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) return ScriptError{name, 0, fmt::format("cannot read: {}", ec.message())};
  if (size > max_bytes)
    return ScriptError{name, 0, fmt::format("file is {} bytes; scripts may be at most {} bytes", size, max_bytes)};
  std::ifstream in(file, std::ios::binary);
  if (!in) return ScriptError{name, 0, "cannot open for reading"};
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (content.size() > max_bytes)  // grew while we looked
    return ScriptError{name, 0, fmt::format("file is over {} bytes", max_bytes)};
  if (auto line = first_invalid_utf8_line(content))
    return ScriptError{name, *line, "not valid UTF-8 text (save the file as UTF-8)"};
  text = std::move(content);
  return std::nullopt;
}

}  // namespace kiosk::script
