# Every external dependency, each a Debian 12 package (deploy/install-deps).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(fmt REQUIRED)                 # libfmt-dev
find_package(spdlog REQUIRED)              # libspdlog-dev
find_package(CLI11 REQUIRED)               # libcli11-dev
find_package(tomlplusplus REQUIRED)        # libtomlplusplus-dev
find_package(nlohmann_json REQUIRED)       # nlohmann-json3-dev
find_package(SQLiteCpp REQUIRED)           # libsqlitecpp-dev (+ libsqlite3-dev)
pkg_check_modules(LUA REQUIRED IMPORTED_TARGET lua5.4)         # liblua5.4-dev
pkg_check_modules(FFTW3 REQUIRED IMPORTED_TARGET fftw3)        # libfftw3-dev: Welch spectra (any n)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)   # libsodium-dev: argon2id staff PIN hash
pkg_check_modules(LIBUSB REQUIRED IMPORTED_TARGET libusb-1.0)  # libusb-1.0-0-dev: the USB plate plugin
pkg_check_modules(LIBEVDEV REQUIRED IMPORTED_TARGET libevdev)  # libevdev-dev: the Wii Balance Board plugin reads evdev
pkg_check_modules(LIBUDEV REQUIRED IMPORTED_TARGET libudev)    # libudev-dev: the Wii Balance Board plugin finds boards
if(KIOSK_BUILD_TESTS OR KIOSK_BUILD_BENCH)
  pkg_check_modules(UMOCKDEV REQUIRED IMPORTED_TARGET umockdev-1.0)  # libumockdev-dev: the emulated USB plate
endif()
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd) # libsystemd-dev: sd_notify watchdog
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)        # libcurl4-openssl-dev: the FHIR outbox's HTTPS
pkg_check_modules(LIBCRYPTO REQUIRED IMPORTED_TARGET libcrypto) # libssl-dev: SMART Backend Services keys and JWT signing
pkg_check_modules(ESPEAKNG REQUIRED IMPORTED_TARGET espeak-ng)  # libespeak-ng-dev: "Read to me" (text to speech)

# The handout: PDF with cairo, text laid out by pango, SVG illustrations by
# librsvg, QR codes by libqrencode, printing through libcups (Debian ships no
# cups.pc: CMake's FindCups).
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo cairo-pdf)          # libcairo2-dev
pkg_check_modules(PANGOCAIRO REQUIRED IMPORTED_TARGET pangocairo)          # libpango1.0-dev
pkg_check_modules(RSVG REQUIRED IMPORTED_TARGET librsvg-2.0)               # librsvg2-dev
find_package(Cups REQUIRED)                                                # libcups2-dev
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)           # libqrencode-dev: the clinic's links as QR codes

if(KIOSK_BUILD_UI)
  find_package(SDL2 REQUIRED)                # libsdl2-dev
  pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)        # libimgui-dev (needs stb)
  pkg_check_modules(FREETYPE REQUIRED IMPORTED_TARGET freetype2) # libimgui.a uses imgui_freetype
  pkg_check_modules(STB REQUIRED IMPORTED_TARGET stb)             # libstb-dev: stb_image_write for screenshots
  pkg_check_modules(FONTCONFIG REQUIRED IMPORTED_TARGET fontconfig)

  # Dear ImGui's SDL2 platform and SDL_Renderer backends ship as sources in
  # the Debian package; they are compiled here, unmodified, into one library.
  set(IMGUI_BACKENDS_DIR /usr/share/doc/libimgui-dev/examples/backends
      CACHE PATH "Dear ImGui backend sources (from libimgui-dev)")
  add_library(imgui_sdl STATIC
    ${IMGUI_BACKENDS_DIR}/imgui_impl_sdl.cpp
    ${IMGUI_BACKENDS_DIR}/imgui_impl_sdlrenderer.cpp)
  target_include_directories(imgui_sdl SYSTEM PUBLIC /usr/include/imgui/backends)
  target_link_libraries(imgui_sdl PUBLIC PkgConfig::IMGUI PkgConfig::FREETYPE SDL2::SDL2)
  target_compile_options(imgui_sdl PRIVATE -w)
endif()
