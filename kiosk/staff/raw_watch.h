// The technician's live raw view of one plate: its stream opened at the
// lowest rate it offers, the newest raw counts per cell, the last few
// seconds of each cell (one point per 10 ms) for a plot, and the stream's
// counters. Nothing is calibrated here: this is what the plate says.
// Thread: main (UI) thread; poll() every frame while shown.
#pragma once
#include <array>
#include <deque>
#include <memory>
#include <string>

#include "plates/device_manager.h"
#include "plates/plate_feed.h"

namespace kiosk::staff {

class RawWatch {
 public:
  using Cells = std::array<double, 4>;          // raw counts, cells c0..c3
  static constexpr std::size_t kHistory = 500;  // points kept (5 s at 100 points/s)

  // Opens the plate; on failure problem() says why and nothing streams.
  RawWatch(const plates::DeviceManager& devices, const std::string& device_id);
  ~RawWatch();

  void poll();
  const std::string& device_id() const { return id_; }
  const std::string& problem() const { return problem_; }  // empty while streaming
  uint32_t rate_hz() const { return rate_hz_; }
  std::size_t cell_count() const { return cell_count_; }
  const Cells& latest() const { return latest_; }
  const std::deque<Cells>& history() const { return history_; }  // oldest first
  plates::StreamStats stats() const;

 private:
  std::string id_, problem_;
  std::unique_ptr<plates::PlateFeed> feed_;  // raw cells only: nothing calibrated
  uint32_t rate_hz_ = 0;
  std::size_t cell_count_ = 0;
  uint64_t samples_ = 0;
  uint32_t per_point_ = 1;  // samples averaged into one history point
  Cells sum_{}, latest_{};
  std::deque<Cells> history_;
};

}  // namespace kiosk::staff
