# Precompiled headers for the heavy third-party headers (Catch2, nlohmann
# json, CLI11, fmt, spdlog and the standard library): most of the build's
# time was spent parsing them again in every file.
#   kiosk_precompile(target [TEST])  one PCH for a library or program with many files
#   tests: every kiosk_add_test target reuses the one PCH of kiosk_test_pch
# Off with -DKIOSK_PCH=OFF (e.g. to check that every file includes what it uses).
option(KIOSK_PCH "Precompile heavy third-party headers" ON)

set(KIOSK_PCH_STD <algorithm> <chrono> <filesystem> <functional> <map> <memory> <optional>
                  <string> <string_view> <vector>)

function(kiosk_precompile target)
  cmake_parse_arguments(P "" "" "HEADERS" ${ARGN})
  if(KIOSK_PCH)
    target_precompile_headers(${target} PRIVATE ${KIOSK_PCH_STD} <fmt/format.h> ${P_HEADERS})
  endif()
endfunction()
