// The plugin ABI header compiled as C++20 has the same layout as in C11.
#include <catch2/catch.hpp>

#include <cstddef>

#include "kiosk_plate.h"
#include "kiosk_plate_link.h"

extern "C" {
size_t abi_c11_sizeof_plugin(void);
size_t abi_c11_sizeof_sample(void);
size_t abi_c11_sizeof_device_info(void);
size_t abi_c11_sizeof_devices_v1(void);
size_t abi_c11_sizeof_host(void);
size_t abi_c11_sizeof_link_stats(void);
}

static_assert(offsetof(kp_plugin, abi_version) == 0);

TEST_CASE("the plugin ABI has one layout in C11 and C++20") {
  CHECK(abi_c11_sizeof_plugin() == sizeof(kp_plugin));
  CHECK(abi_c11_sizeof_sample() == sizeof(kp_sample));
  CHECK(abi_c11_sizeof_device_info() == sizeof(kp_device_info));
  CHECK(abi_c11_sizeof_devices_v1() == sizeof(kp_devices_v1));
  CHECK(abi_c11_sizeof_host() == sizeof(kp_host));
  CHECK(abi_c11_sizeof_link_stats() == sizeof(kp_link_stats));
}
