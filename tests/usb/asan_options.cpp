// umockdev's preload library must be loaded into the test process (and the
// kioskctl it starts) before the ASan runtime. It wraps file and ioctl calls
// only, never the allocator, so ASan need not insist on coming first. Read by
// the ASan runtime at start-up in the sanitizer build; unused otherwise.
// Programs the tests start get the same through usb_child_env(); the plate
// hosts (kiosk-plate-host) this process starts get it through ASAN_OPTIONS,
// set below before any test runs.
#include <cstdlib>
#include <string>

extern "C" __attribute__((visibility("default"), used)) const char* __asan_default_options() {
  return "verify_asan_link_order=0";
}

#if defined(__SANITIZE_ADDRESS__)
namespace {
const bool plate_hosts_relaxed = [] {
  const char* asan = std::getenv("ASAN_OPTIONS");
  const std::string value = (asan && *asan ? std::string(asan) + ":" : "") + "verify_asan_link_order=0";
  return setenv("ASAN_OPTIONS", value.c_str(), 1) == 0;
}();
}  // namespace
#endif
