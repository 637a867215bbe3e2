// A lock-free single-producer single-consumer ring of fixed capacity.
// Producer: the plugin's device thread (push). Consumer: the UI thread (pop).
// Neither ever blocks or allocates after construction; a full ring drops
// the new sample and counts it, so a slow consumer never stalls a device.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

namespace kiosk::plates {

template <typename T>
class SampleRing {
 public:
  // Capacity is rounded up to a power of two.
  explicit SampleRing(size_t capacity) : mask_(round_up(capacity) - 1), slots_(new T[mask_ + 1]) {}

  size_t capacity() const { return mask_ + 1; }

  // [producer] false (and counted in dropped()) when full.
  bool push(const T& item) {
    const size_t head = head_.load(std::memory_order_relaxed);
    if (head - tail_cache_ > mask_) {
      tail_cache_ = tail_.load(std::memory_order_acquire);
      if (head - tail_cache_ > mask_) {
        dropped_.fetch_add(1, std::memory_order_relaxed);
        return false;
      }
    }
    slots_[head & mask_] = item;
    head_.store(head + 1, std::memory_order_release);
    return true;
  }

  // [consumer] false when empty.
  bool pop(T& out) {
    const size_t tail = tail_.load(std::memory_order_relaxed);
    if (tail == head_cache_) {
      head_cache_ = head_.load(std::memory_order_acquire);
      if (tail == head_cache_) return false;
    }
    out = slots_[tail & mask_];
    tail_.store(tail + 1, std::memory_order_release);
    return true;
  }

  // [any] samples refused because the ring was full.
  uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  // [any] an estimate; exact when neither side is running.
  size_t size() const { return head_.load(std::memory_order_acquire) - tail_.load(std::memory_order_acquire); }

 private:
  static size_t round_up(size_t n) {
    size_t p = 2;
    while (p < n) p <<= 1;
    return p;
  }
  static constexpr size_t kLine = 64;  // keep producer and consumer state on separate cache lines

  const size_t mask_;
  std::unique_ptr<T[]> slots_;
  alignas(kLine) std::atomic<size_t> head_{0};  // written by the producer
  size_t tail_cache_ = 0;                       // producer's view of tail_
  alignas(kLine) std::atomic<size_t> tail_{0};  // written by the consumer
  size_t head_cache_ = 0;                       // consumer's view of head_
  alignas(kLine) std::atomic<uint64_t> dropped_{0};
};

}  // namespace kiosk::plates
