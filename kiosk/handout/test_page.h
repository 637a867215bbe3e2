// A one-page printer test sheet for the technician screen: the lines it is
// given (staff words from the text assets, the printer, the time), a grey
// ramp and a 10 cm ruler to check scaling. Thread: any one thread per call.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace kiosk::handout {

// paper: "a4" | "letter". Throws RenderError when the file cannot be written.
void render_test_page(const std::vector<std::string>& lines, const std::string& paper,
                      const std::filesystem::path& out);

}  // namespace kiosk::handout
