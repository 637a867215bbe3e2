// What one script run may use. Defaults are the kiosk's; tests shrink them.
#pragma once
#include <chrono>
#include <cstddef>

namespace kiosk::script {

struct Limits {
  std::chrono::milliseconds cpu_per_resume{200};        // Lua time between two steps (wall clock)
  std::size_t memory_bytes = std::size_t{32} << 20;     // everything the lua_State allocates
  std::size_t max_file_bytes = std::size_t{256} << 10;  // one script or lib file, and load() text
  double max_pattern_steps = 5e7;                       // worst-case matcher steps (pattern_cost.h), about 0.2 s
  long long max_table_move = 1 << 20;                   // elements table.move may copy in one C call
  int max_steps = 500;                                  // steps in one run (a script looping over steps never ends)
};

}  // namespace kiosk::script
