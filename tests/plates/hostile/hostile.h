// The hostile plugins of this folder (hostile_plugin.c, one build per
// misdeed) and what each is expected to do to a kiosk that hosts it.
#pragma once
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace kiosk::test {

struct Hostile {
  std::string name;  // also its plugin id: "hostile_crash_at_open", "hostile_lie_abi_version"
  std::filesystem::path file() const { return std::filesystem::path(HOSTILE_PLUGIN_DIR) / name / (name + ".so"); }
  std::filesystem::path dir() const { return file().parent_path(); }
  bool has(const std::string& part) const { return name.find(part) != std::string::npos; }
  // Its plate host dies (or is killed) while the kiosk uses it.
  bool fails() const { return !has("_at_deinit") && (has("crash_") || has("abort_") || has("exit_") || has("hang_")); }
  // The host's checks refuse it, with a reason.
  bool refused() const { return has("lie_abi_version") || has("lie_descriptor_size") || has("lie_devices_size"); }
};

inline std::vector<Hostile> hostile_plugins() {
  std::vector<Hostile> out;
  std::istringstream in(HOSTILE_PLUGINS);
  for (std::string name; std::getline(in, name, ',');) out.push_back({name});
  return out;
}

}  // namespace kiosk::test
