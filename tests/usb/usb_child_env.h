// Environment for programs the USB tests start under umockdev's preload
// (kioskctl): ASan must not insist on loading first (see asan_options.cpp).
#pragma once
#include <cstdlib>
#include <string>

namespace kiosk::test {
inline std::string usb_child_env() {
  const char* asan = std::getenv("ASAN_OPTIONS");
  return std::string("ASAN_OPTIONS=") + (asan && *asan ? std::string(asan) + ":" : "") + "verify_asan_link_order=0";
}
}  // namespace kiosk::test
