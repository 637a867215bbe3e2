#include "media/media_refs.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <regex>

#include "media/illustration_set.h"
#include "media/sound_bank.h"

namespace kiosk::media {

std::vector<std::string> unknown_media_ids(const std::filesystem::path& script,
                                           const std::filesystem::path& assets_dir) {
  const auto illustration_folders = illustration_dirs(assets_dir, {script.parent_path()});
  const auto illustrations = illustration_ids(illustration_folders);
  const auto sounds = sound_ids(assets_dir / "sounds");
  static const std::regex ref(R"re(\b(illustration|sound)\s*=\s*"([^"]*)")re");
  std::vector<std::string> out;
  std::ifstream in(script);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    const auto comment = line.find("--");  // a Lua comment; ids in strings never hold "--"
    if (comment != std::string::npos) line.resize(comment);
    for (std::sregex_iterator it(line.begin(), line.end(), ref), end; it != end; ++it) {
      const std::string kind = (*it)[1], id = (*it)[2];
      const auto& have = kind == "sound" ? sounds : illustrations;
      if (std::find(have.begin(), have.end(), id) != have.end()) continue;
      std::vector<std::string> looked;
      if (kind == "sound")
        looked.push_back((assets_dir / "sounds").string());
      else
        for (const auto& dir : illustration_folders) looked.push_back(dir.string());
      out.push_back(fmt::format("{}:{}: warning: {} \"{}\": no such {} in {} (there are: {})", script.string(), n, kind,
                                id, kind, fmt::join(looked, " or "), fmt::join(have, ", ")));
    }
  }
  return out;
}

}  // namespace kiosk::media
