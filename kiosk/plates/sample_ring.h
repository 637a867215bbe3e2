// A lock-free single-producer single-consumer ring of fixed capacity.
// Producer: a plugin's device thread (push). Consumer: the kiosk (pop).
// Neither ever blocks or allocates after construction; a full ring drops
// the new sample and counts it, so a slow consumer never stalls a device.
//
// The shared state (RingBlock, then the slots) is one standard-layout block
// that lives on the heap or in a memfd mapping shared by two processes (the
// kiosk and a kiosk-plate-host); each side keeps its own cached view of the
// other's index, so nothing one side writes can make the other read outside
// the slots: indices are always masked with the capacity this side knows.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <type_traits>

namespace kiosk::plates {

// The counters, each on its own cache line; the slots follow the block.
struct RingBlock {
  static constexpr size_t kLine = 64;
  alignas(kLine) std::atomic<uint64_t> head{0};     // written by the producer
  alignas(kLine) std::atomic<uint64_t> tail{0};     // written by the consumer
  alignas(kLine) std::atomic<uint64_t> dropped{0};  // written by the producer
};
static_assert(std::atomic<uint64_t>::is_always_lock_free, "the ring is shared between processes");

template <typename T>
class SampleRing {
  static_assert(std::is_trivially_copyable_v<T>, "slots are copied between processes");

 public:
  // Capacity is rounded up to a power of two.
  static size_t round_up(size_t n) {
    size_t p = 2;
    while (p < n) p <<= 1;
    return p;
  }
  // Bytes of one ring's block and slots, for a capacity already rounded up.
  static size_t bytes_for(size_t capacity) { return sizeof(RingBlock) + capacity * sizeof(T); }

  // A ring on the heap, owned by this object.
  explicit SampleRing(size_t capacity) : mask_(round_up(capacity) - 1) {
    memory_ = std::aligned_alloc(RingBlock::kLine, round_line(bytes_for(mask_ + 1)));
    if (!memory_) throw std::bad_alloc();
    block_ = new (memory_) RingBlock();
  }
  // A view of a ring in `memory` (e.g. a shared mapping) of `capacity` slots,
  // a power of two. `create`: construct the block (zeroed counters); otherwise
  // attach to one another process created. The memory outlives this object.
  SampleRing(void* memory, size_t capacity, bool create)
      : mask_(capacity - 1), block_(create ? new (memory) RingBlock() : static_cast<RingBlock*>(memory)) {}
  ~SampleRing() { std::free(memory_); }
  SampleRing(const SampleRing&) = delete;
  SampleRing& operator=(const SampleRing&) = delete;

  size_t capacity() const { return mask_ + 1; }

  // [producer] false (and counted in dropped()) when full.
  bool push(const T& item) {
    const uint64_t head = block_->head.load(std::memory_order_relaxed);
    if (head - tail_cache_ > mask_) {
      tail_cache_ = block_->tail.load(std::memory_order_acquire);
      if (head - tail_cache_ > mask_) {
        block_->dropped.fetch_add(1, std::memory_order_relaxed);
        return false;
      }
    }
    slots()[head & mask_] = item;
    block_->head.store(head + 1, std::memory_order_release);
    return true;
  }

  // [consumer] false when empty.
  bool pop(T& out) {
    const uint64_t tail = block_->tail.load(std::memory_order_relaxed);
    if (tail == head_cache_) {
      head_cache_ = block_->head.load(std::memory_order_acquire);
      if (tail == head_cache_) return false;
    }
    out = slots()[tail & mask_];
    block_->tail.store(tail + 1, std::memory_order_release);
    return true;
  }

  // [any] samples refused because the ring was full.
  uint64_t dropped() const { return block_->dropped.load(std::memory_order_relaxed); }
  // [any] an estimate; exact when neither side is running.
  size_t size() const {
    return block_->head.load(std::memory_order_acquire) - block_->tail.load(std::memory_order_acquire);
  }

 private:
  static size_t round_line(size_t n) { return (n + RingBlock::kLine - 1) / RingBlock::kLine * RingBlock::kLine; }
  T* slots() const { return reinterpret_cast<T*>(reinterpret_cast<unsigned char*>(block_) + sizeof(RingBlock)); }

  const uint64_t mask_;
  void* memory_ = nullptr;  // owned (heap ring) or nullptr (a view)
  RingBlock* block_;
  alignas(RingBlock::kLine) uint64_t tail_cache_ = 0;  // producer's view of tail (apart from the consumer's)
  alignas(RingBlock::kLine) uint64_t head_cache_ = 0;  // consumer's view of head
};

}  // namespace kiosk::plates
