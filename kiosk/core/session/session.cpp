#include "core/session/session.h"

#include <fmt/format.h>

#include <cmath>

namespace kiosk::session {
namespace {

std::string number_text(double v) {  // 8, not 8.0; 7.5
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

}  // namespace

std::string answer_text(const Answer& answer) {
  if (const auto* b = std::get_if<bool>(&answer)) return *b ? "yes" : "no";
  if (const auto* s = std::get_if<std::string>(&answer)) return *s;
  if (const auto* d = std::get_if<double>(&answer)) return number_text(*d);
  std::string out;
  for (double v : std::get<std::vector<double>>(answer)) out += (out.empty() ? "" : ", ") + number_text(v);
  return out;
}

std::vector<const ScriptPart*> Session::parts() const {
  std::vector<const ScriptPart*> out;
  if (screening) out.push_back(&*screening);
  if (profile) out.push_back(&*profile);
  for (const auto& t : tests) out.push_back(&t);
  return out;
}

}  // namespace kiosk::session
