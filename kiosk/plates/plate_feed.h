// The one stage between a plate's stream and whatever reads it (live
// capture, the calibration wizard, the staff raw view, `kioskctl device
// stream`): drains the DeviceStream, puts t = 0 at the stream's first
// sample, turns raw counts into cells, and, when given a layout, takes the
// zero off (optionally an auto-zero on an empty start) and turns cells into
// force and COP with the plate's calibration (signal::cells_to_load, the one
// home of that maths). Each consumer configures only the stages it needs.
// Thread: main thread; call pump() every frame (or every few ms).
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plates/device_stream.h"
#include "signal/cell_layout.h"

namespace kiosk::plates {

inline constexpr double kAutoZero_s = 0.5;    // how much of an empty start is averaged
inline constexpr double kAutoZeroMax_n = 50;  // "empty": reads under this (drift; a foot on the plate reads more)

struct FeedOptions {
  // Calibration: gains, geometry and zero offsets. Without one the feed gives
  // raw cells only (FeedSample::load stays 0).
  std::optional<signal::CellLayout> layout;
  // Zero the plate from the stream's first kAutoZero_s when it is empty and
  // steady then (the person steps on after): the stored offsets drift. Needs a layout.
  bool auto_zero = false;
  std::string name = "feed";  // who reads it, for the log ("capture heel_raise_count")

  // Raw cells only, t = 0 at the first sample: recordings, the raw view, the wizard's own maths.
  static FeedOptions raw_cells(std::string name) {
    FeedOptions o;
    o.name = std::move(name);
    return o;
  }
};

// One sample through the stages the feed was configured with.
struct FeedSample {
  double t_s = 0;                     // device time since the stream's first sample, s
  const kp_sample* sample = nullptr;  // as the plate sent it: seq, status, the raw counts of all its cells
  signal::CellValues cells{};         // raw counts of cells c0..c3, unzeroed
  signal::PlateSample load{};         // Fz N, COP mm through the layout and zero (t_s copied); 0 without a layout
};

class PlateFeed {
 public:
  // Handed each sample in order; false stops the pump (the rest of the batch is dropped).
  using Sink = std::function<bool(const FeedSample&)>;

  // Throws std::invalid_argument for auto_zero without a layout.
  PlateFeed(std::unique_ptr<DeviceStream> stream, FeedOptions options = {});
  ~PlateFeed();  // stops the stream
  PlateFeed(const PlateFeed&) = delete;
  PlateFeed& operator=(const PlateFeed&) = delete;

  void start(uint32_t rate_hz);  // throws PlateError
  void stop();                   // idempotent

  // Moves what arrived through the stages into `sink`. While an auto-zero
  // is undecided, samples are held back, then handed on through the zero.
  // Returns how many samples were handed on. [main]
  std::size_t pump(const Sink& sink);

  // The layout in use (with the auto-zero's offsets once taken); the wizard
  // changes it as it learns the zero and the gains.
  const std::optional<signal::CellLayout>& layout() const { return options_.layout; }
  void set_layout(const signal::CellLayout& layout) { options_.layout = layout; }
  // True once the empty start was used as the zero.
  bool zeroed() const { return zeroed_; }

  const kp_device_info& info() const { return stream_->info(); }
  StreamStats stats() const { return stream_->stats(); }
  std::optional<kp_link_stats> link_stats() const { return stream_->link_stats(); }

 private:
  struct Held {
    double t_s;
    kp_sample sample;
  };
  FeedSample through(double t_s, const kp_sample& raw) const;
  bool hold_for_zero(double t_s, const kp_sample& raw);  // true while the zero is undecided
  void decide_zero();

  std::unique_ptr<DeviceStream> stream_;
  FeedOptions options_;
  std::vector<kp_sample> batch_;
  bool have_t0_ = false;
  uint64_t t0_ns_ = 0;
  bool zero_decided_ = true, zeroed_ = false;
  std::vector<Held> pre_roll_;  // held until the zero is decided
};

}  // namespace kiosk::plates
