#include "journey/plate_access.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/log.h"
#include "kiosk_plate_sim.h"
#include "plates/plate_calibration.h"

namespace kiosk::journey {
namespace {
// The rate each capture asks of the plate: sway needs no more than 100 Hz
// (the BDS reference data), counting and touch-down timing like 1 kHz.
uint32_t rate_for(const script::Step& step, const kp_device_info& info) {
  const uint32_t want = step.detector == "single_leg_stance" || step.detector == "heel_contact" ? 100 : 1000;
  uint32_t best = 0, largest = 0;  // the smallest rate that is enough, else the fastest
  for (uint32_t i = 0; i < std::min<uint32_t>(info.rate_count, KIOSK_PLATE_MAX_RATES); ++i) {
    const uint32_t r = info.rates_hz[i];
    largest = std::max(largest, r);
    if (r >= want && (best == 0 || r < best)) best = r;
  }
  return best ? best : largest;
}
}  // namespace

DevicePlates::DevicePlates(plates::DeviceManager& devices, const plates::PlateCalibrations& calibrations,
                           bool demo_actor, plates::SimPace actor_pace)
    : devices_(devices), calibrations_(calibrations), demo_actor_(demo_actor), actor_pace_(actor_pace) {}

void DevicePlates::poll() {
  for (const auto& change : devices_.poll())
    if (on_change_) on_change_(change);
}

const plates::PlateDevice* DevicePlates::usable(std::string* why) const {
  for (const auto& d : devices_.devices()) {
    if (!d.present) continue;
    if (const auto layout = plates::nominal_layout(d.info); std::holds_alternative<std::string>(layout)) {
      if (why) *why = fmt::format("{}: {}", d.id(), std::get<std::string>(layout));
      continue;
    }
    if (const auto status = calibrations_.status(d.info.serial); !status.usable()) {
      if (why) *why = fmt::format("{}: {}", d.id(), status.reason);
      continue;
    }
    return &d;
  }
  if (why && why->empty()) *why = "no plate connected";
  return nullptr;
}

bool DevicePlates::available() const { return usable(nullptr) != nullptr; }

void DevicePlates::act_out(const plates::PlateDevice& plate, const script::Step& step) const {
  const auto* sim = static_cast<const kp_sim_v1*>(plate.plugin->plugin->get_extension(KP_EXT_SIM_V1));
  if (!sim) return;  // a real plate: a real person
  std::string spec = "scenario=quiet_stance";
  if (step.detector == "single_leg_stance") spec = "scenario=single_leg_touchdown touchdown_s=21.5";
  if (step.detector == "heel_raise_count") spec = "scenario=heel_raises reps=22 stop=two_small_rises";
  if (step.detector == "heel_contact") spec = "scenario=lunge heel_lift_s=9 duration_s=120";
  spec += actor_pace_.keys();
  if (sim->set_scenario(spec.c_str()) != KP_OK) log::get("journey")->warn("demo plate: cannot play '{}'", spec);
}

std::unique_ptr<plates::LiveCapture> DevicePlates::start(const script::Step& step, std::string* why) {
  const auto* plate = usable(why);
  if (!plate) return nullptr;
  if (demo_actor_) act_out(*plate, step);
  try {
    const auto status = calibrations_.status(plate->info.serial);
    plates::LiveCaptureOptions options{step.detector, rate_for(step, plate->info), step.seconds > 0 ? step.seconds : 45,
                                       step.bpm,      /*auto_zero=*/true,          plates::plate_used(*plate, status)};
    const auto& layout = status.calibration->layout;
    return std::make_unique<plates::LiveCapture>(devices_.open(plate->id()), layout, std::move(options));
  } catch (const std::exception& e) {
    if (why) *why = fmt::format("{}: {}", plate->id(), e.what());
    log::get("journey")->warn("capture on {} could not start: {}", plate->id(), e.what());
    return nullptr;
  }
}

}  // namespace kiosk::journey
