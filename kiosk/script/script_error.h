// Every script failure, for the clinician: "file:line: message". The patient
// only ever sees "this test is unavailable".
#pragma once
#include <string>

namespace kiosk::script {

struct ScriptError {
  std::string file;  // path as given to the runtime
  int line = 0;      // 0 = no line applies (e.g. the file is too big)
  std::string message;

  // "file:line: message", or "file: message" without a line.
  std::string to_string() const;
};

}  // namespace kiosk::script
