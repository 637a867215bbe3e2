#include "script/script_error.h"

#include <fmt/format.h>

namespace kiosk::script {

std::string ScriptError::to_string() const {
  if (line > 0) return fmt::format("{}:{}: {}", file, line, message);
  return fmt::format("{}: {}", file, message);
}

}  // namespace kiosk::script
