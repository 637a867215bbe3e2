#include "staff/raw_watch.h"

#include <algorithm>

#include "core/log.h"

namespace kiosk::staff {

RawWatch::RawWatch(const plates::DeviceManager& devices, const std::string& device_id) : id_(device_id) {
  try {
    feed_ = std::make_unique<plates::PlateFeed>(devices.open(device_id), plates::FeedOptions::raw_cells("raw view"));
    const auto& info = feed_->info();
    cell_count_ = std::min<std::size_t>(info.cell_count, latest_.size());
    rate_hz_ = info.rate_count ? *std::min_element(info.rates_hz, info.rates_hz + info.rate_count) : 100;
    per_point_ = std::max<uint32_t>(1, rate_hz_ / 100);
    feed_->start(rate_hz_);
    log::get("staff")->info("raw view opened device={} rate_hz={}", id_, rate_hz_);
  } catch (const std::exception& e) {
    feed_.reset();
    problem_ = e.what();
    log::get("staff")->warn("raw view of {} failed: {}", id_, problem_);
  }
}

RawWatch::~RawWatch() {
  if (feed_) feed_->stop();
}

void RawWatch::poll() {
  if (!feed_) return;
  feed_->pump([this](const plates::FeedSample& s) {
    for (std::size_t c = 0; c < cell_count_; ++c) {
      latest_[c] = s.cells[c];
      sum_[c] += s.cells[c];
    }
    if (++samples_ % per_point_ == 0) {
      Cells point{};
      for (std::size_t c = 0; c < cell_count_; ++c) point[c] = sum_[c] / per_point_;
      sum_ = {};
      history_.push_back(point);
      if (history_.size() > kHistory) history_.pop_front();
    }
    return true;
  });
  const auto st = feed_->stats();
  if (st.ended && problem_.empty()) {
    problem_ = "the plate stopped sending (unplugged?)";
    log::get("staff")->warn("raw view of {}: stream ended reason={}", id_, st.end_reason);
  }
}

plates::StreamStats RawWatch::stats() const { return feed_ ? feed_->stats() : plates::StreamStats{}; }

}  // namespace kiosk::staff
