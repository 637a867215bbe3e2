/* The plugin ABI header must compile as strict C11 with the same layout as
 * in C++ (abi_header_cxx20.cpp compares these sizes). */
#include <stddef.h>

#include "kiosk_plate.h"
#include "kiosk_plate_link.h"

_Static_assert(offsetof(kp_plugin, abi_version) == 0, "ABI version must be the first field");
_Static_assert(sizeof(kp_sample) == 48, "kp_sample layout is part of the ABI");

size_t abi_c11_sizeof_plugin(void) { return sizeof(kp_plugin); }
size_t abi_c11_sizeof_sample(void) { return sizeof(kp_sample); }
size_t abi_c11_sizeof_device_info(void) { return sizeof(kp_device_info); }
size_t abi_c11_sizeof_devices_v1(void) { return sizeof(kp_devices_v1); }
size_t abi_c11_sizeof_host(void) { return sizeof(kp_host); }
size_t abi_c11_sizeof_link_stats(void) { return sizeof(kp_link_stats); }
