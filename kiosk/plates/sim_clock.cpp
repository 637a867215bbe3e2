#include "plates/sim_clock.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "kiosk_plate_sim.h"

namespace kiosk::plates {

std::string SimPace::keys() const {
  if (stepped) return std::string(" ") + kSteppedClock;
  return speed > 0 ? fmt::format(" speed={}", speed) : "";
}

namespace {
const kp_sim_v1* stepping_sim(const LoadedPlugin& plugin) {
  const auto* sim = static_cast<const kp_sim_v1*>(plugin.plugin->get_extension(KP_EXT_SIM_V1));
  return sim && sim->struct_size >= KP_SIM_V1_ADVANCE_SIZE && sim->advance ? sim : nullptr;
}
}  // namespace

bool sim_is_stepped(const LoadedPlugin& plugin) {
  const auto* sim = stepping_sim(plugin);
  return sim && sim->advance(0) == KP_OK;  // a sim on the wall clock refuses with KP_ERR_STATE
}

int advance_sim(const LoadedPlugin& plugin, double seconds) {
  const auto* sim = stepping_sim(plugin);
  if (!sim) return KP_ERR_NA;
  for (double left = seconds; left > 0; left -= kMaxAdvance_s) {
    const auto ns = static_cast<uint64_t>(std::llround(std::min(left, kMaxAdvance_s) * 1e9));
    if (const int rc = sim->advance(ns); rc != KP_OK) return rc;
  }
  return KP_OK;
}

}  // namespace kiosk::plates
