#include "staff/switched_off_tests.h"

#include <fstream>
#include <stdexcept>

#include "core/log.h"

namespace kiosk::staff {

std::set<std::string> load_switched_off(const std::filesystem::path& file) {
  std::set<std::string> ids;
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return ids;
  std::ifstream in(file);
  if (!in) {
    log::get("staff")->error("cannot read {}: every test stays switched on", file.string());
    return ids;
  }
  std::string line;
  while (std::getline(in, line)) {
    line = line.substr(0, line.find('#'));
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    ids.insert(line.substr(first, line.find_last_not_of(" \t\r") - first + 1));
  }
  return ids;
}

void save_switched_off(const std::filesystem::path& file, const std::set<std::string>& ids) {
  const auto tmp = std::filesystem::path(file.string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "# Tests switched off on the kiosk's staff screen (one script id per line).\n";
    for (const auto& id : ids) out << id << '\n';
    if (!out.flush()) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec) throw std::runtime_error("cannot replace " + file.string() + ": " + ec.message());
}

}  // namespace kiosk::staff
