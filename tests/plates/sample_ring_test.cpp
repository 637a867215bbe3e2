#include <catch2/catch.hpp>

#include <thread>

#include "plates/sample_ring.h"

using kiosk::plates::SampleRing;

TEST_CASE("the ring keeps order and refuses (and counts) pushes when full") {
  SampleRing<int> ring(4);
  CHECK(ring.capacity() == 4);
  for (int i = 0; i < 4; ++i) CHECK(ring.push(i));
  CHECK_FALSE(ring.push(99));
  CHECK(ring.dropped() == 1);
  int v = -1;
  for (int i = 0; i < 4; ++i) {
    REQUIRE(ring.pop(v));
    CHECK(v == i);
  }
  CHECK_FALSE(ring.pop(v));
  CHECK(ring.push(5));  // space again after popping
}

TEST_CASE("capacity rounds up to a power of two") { CHECK(SampleRing<int>(1000).capacity() == 1024); }

TEST_CASE("one producer and one consumer thread pass a million items in order") {
  SampleRing<uint64_t> ring(1024);
  constexpr uint64_t kCount = 1'000'000;
  std::thread producer([&] {
    for (uint64_t i = 0; i < kCount;)
      if (ring.push(i)) ++i;
  });
  uint64_t expected = 0, v = 0;
  bool in_order = true;
  while (expected < kCount) {
    if (ring.pop(v)) {
      in_order = in_order && v == expected;
      ++expected;
    }
  }
  producer.join();
  CHECK(in_order);
  CHECK(ring.size() == 0);
}
