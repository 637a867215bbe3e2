# Compiler settings every project target gets through kiosk_defaults().
# Third-party sources (the ImGui backends) do not use it and are built quiet.

if(KIOSK_SANITIZE)
  # Global so plugins, tests and the programs share one runtime.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  # GCC 12 reports false "maybe uninitialized" inside libstdc++ (std::regex,
  # std::function) when sanitizers are on; the normal build keeps the warning.
  add_compile_options(-Wno-maybe-uninitialized)
endif()

function(kiosk_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wcast-align
                         -Wformat=2 $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor>)
  if(KIOSK_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
