// umockdev's preload library must be loaded into the test process (and the
// kioskctl it starts) before the ASan runtime. It wraps file and ioctl calls
// only, never the allocator, so ASan need not insist on coming first. Read by
// the ASan runtime at start-up in the sanitizer build; unused otherwise.
// Programs the tests start get the same through usb_child_env().

extern "C" __attribute__((visibility("default"), used)) const char* __asan_default_options() {
  return "verify_asan_link_order=0";
}
