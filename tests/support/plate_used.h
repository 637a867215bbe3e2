// The simulated plate as a session records it (session::PlateUsed), for the
// export, outbox and sender tests: calibrated, with this calibration in force.
#pragma once
#include <cstdint>
#include <string>

#include "core/session/session.h"

namespace kiosk::test {

inline session::PlateUsed sim_plate_used(std::string calibrated_at, std::int64_t calibration_id) {
  return {"sim:SIM-0001", "sim",        "Kiosk project",          "Simulated plate", "SIM-0001",
          "1.4.2",        "calibrated", std::move(calibrated_at), calibration_id};
}

}  // namespace kiosk::test
