#include "script/pattern_cost.h"

#include <algorithm>

namespace kiosk::script {
namespace {

constexpr double kSaturated = 1e300;

// Index just past one single-character class starting at `i` (a literal,
// `.`, `%x` or a `[set]`); tolerant of malformed patterns (Lua reports those).
std::size_t skip_class(std::string_view p, std::size_t i) {
  if (i >= p.size()) return i;
  if (p[i] == '%') return std::min(i + 2, p.size());
  if (p[i] != '[') return i + 1;
  std::size_t j = i + 1;
  if (j < p.size() && p[j] == '^') ++j;
  if (j < p.size()) ++j;  // a `]` right after `[` or `[^` is a literal
  while (j < p.size() && p[j] != ']') j += (p[j] == '%') ? 2 : 1;
  return std::min(j + 1, p.size());
}

}  // namespace

double pattern_worst_case_steps(std::string_view p, std::size_t subject_length, PatternUse use) {
  const double positions = static_cast<double>(subject_length) + 1.0;
  double cost = static_cast<double>(p.size()) + 1.0;  // a set scan per step
  std::size_t i = 0;
  const bool anchored = use == PatternUse::search && !p.empty() && p[0] == '^';
  if (anchored) i = 1;
  if (!anchored) cost *= positions;
  auto times = [&cost](double factor) { cost = std::min(cost * factor, kSaturated); };

  while (i < p.size()) {
    const char c = p[i];
    if (c == '(' || c == ')') {
      ++i;
      continue;
    }
    if (c == '%' && i + 1 < p.size()) {
      const char e = p[i + 1];
      if (e == 'b') {  // %bxy: a balanced scan of up to n bytes
        times(positions);
        i += 4;
        continue;
      }
      if (e == 'f') {  // %f[set]: a frontier test, no backtracking
        i = skip_class(p, i + 2);
        continue;
      }
      if (e >= '1' && e <= '9') {  // back-reference: compares up to n bytes
        times(positions);
        i += 2;
        continue;
      }
    }
    const std::size_t next = skip_class(p, i);
    if (next < p.size()) {
      const char q = p[next];
      if (q == '*' || q == '+' || q == '-') {
        times(positions);
        i = next + 1;
        continue;
      }
      if (q == '?') {
        times(2.0);
        i = next + 1;
        continue;
      }
    }
    i = next;
  }
  return cost;
}

}  // namespace kiosk::script
