// Which tests a clinician switched off on the staff screen, kept across
// restarts in a text file in the data folder (one script id per line, '#'
// starts a comment) so a technician can also read or edit it.
#pragma once
#include <filesystem>
#include <set>
#include <string>

namespace kiosk::staff {

// A missing file is an empty set; an unreadable one is logged and empty.
std::set<std::string> load_switched_off(const std::filesystem::path& file);
// Writes through a temporary file and a rename (never half a file). Throws std::runtime_error.
void save_switched_off(const std::filesystem::path& file, const std::set<std::string>& ids);

}  // namespace kiosk::staff
