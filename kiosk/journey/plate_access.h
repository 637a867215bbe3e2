// How the journey reaches a force plate for `capture` steps, if there is
// one usable: present, and with a calibration the host can apply. Without
// one the scripts run their manual versions (t.plate is false).
// Thread: main thread.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "plates/device_manager.h"
#include "plates/live_capture.h"
#include "plates/plate_calibration.h"
#include "plates/sim_clock.h"
#include "script/step.h"

namespace kiosk::journey {

class PlateAccess {
 public:
  virtual ~PlateAccess() = default;
  // Keeps the device list fresh (hotplug); call every frame.
  virtual void poll() = 0;
  virtual bool available() const = 0;
  // Starts a live capture for the step; nullptr (and why, for staff) when it cannot.
  virtual std::unique_ptr<plates::LiveCapture> start(const script::Step& step, std::string* why) = 0;
};

// No plate at all: every test runs its manual version.
class NoPlates final : public PlateAccess {
 public:
  void poll() override {}
  bool available() const override { return false; }
  std::unique_ptr<plates::LiveCapture> start(const script::Step&, std::string* why) override {
    if (why) *why = "no plate";
    return nullptr;
  }
};

// The plates the plugins see, through the device manager: the first present
// plate whose stored calibration is in force (plates::PlateCalibrations:
// accepted, passed, not expired, no failed spot check since). Captures use
// its gains and offsets, and zero on an empty plate at their start. An
// uncalibrated or expired plate is never offered: the manual tests run,
// and staff read why from problems(). In demo mode, a sim plate is told to
// act out each test (a touch-down, heel raises, a lunge).
class DevicePlates final : public PlateAccess {
 public:
  // actor_pace: how fast the demo actor plays (tests: faster than life, or the virtual clock).
  DevicePlates(plates::DeviceManager& devices, const plates::PlateCalibrations& calibrations, bool demo_actor,
               plates::SimPace actor_pace = 1.0);
  void poll() override;
  bool available() const override;
  // Called for every plate that comes or goes (the kiosk audits them).
  void on_change(std::function<void(const plates::DeviceChange&)> f) { on_change_ = std::move(f); }
  std::unique_ptr<plates::LiveCapture> start(const script::Step& step, std::string* why) override;
  // For staff: present plates patients cannot use, "id: reason" (empty: none).
  std::vector<std::string> problems() const { return calibrations_.problems(devices_); }
  const plates::PlateCalibrations& calibrations() const { return calibrations_; }

 private:
  const plates::PlateDevice* usable(std::string* why) const;
  void act_out(const plates::PlateDevice& plate, const script::Step& step) const;

  plates::DeviceManager& devices_;
  const plates::PlateCalibrations& calibrations_;
  bool demo_actor_;
  plates::SimPace actor_pace_;
  std::function<void(const plates::DeviceChange&)> on_change_;
};

}  // namespace kiosk::journey
