# kiosk_forbid_ui(target): the model must stay headless. Fails the configure
# if the target links ImGui or SDL (directly or through its dependencies) and
# fails the build if any of its sources includes an ImGui or SDL header.
set(KIOSK_FORBIDDEN_LINK_PATTERN "imgui|SDL2|IMGUI")

function(_kiosk_collect_links target out)
  set(seen ${${out}})
  get_target_property(libs ${target} LINK_LIBRARIES)
  get_target_property(ilibs ${target} INTERFACE_LINK_LIBRARIES)
  foreach(lib IN LISTS libs ilibs)
    if(lib AND NOT lib MATCHES "NOTFOUND" AND NOT lib IN_LIST seen)
      list(APPEND seen ${lib})
      if(TARGET ${lib})
        _kiosk_collect_links(${lib} seen)
      endif()
    endif()
  endforeach()
  set(${out} ${seen} PARENT_SCOPE)
endfunction()

function(kiosk_forbid_ui target)
  # Link check runs once the whole tree is configured (dependencies may be
  # added to the target after this call).
  cmake_language(EVAL CODE "
    cmake_language(DEFER DIRECTORY \"${PROJECT_SOURCE_DIR}\" CALL _kiosk_check_links ${target})")
  add_custom_command(TARGET ${target} PRE_LINK
    COMMAND ${CMAKE_COMMAND} -DDIR=${CMAKE_CURRENT_SOURCE_DIR}
            -P ${PROJECT_SOURCE_DIR}/cmake/CheckNoUiIncludes.cmake
    COMMENT "Checking ${target} includes no ImGui/SDL header")
endfunction()

function(_kiosk_check_links target)
  set(all "")
  _kiosk_collect_links(${target} all)
  foreach(lib IN LISTS all)
    if(lib MATCHES "${KIOSK_FORBIDDEN_LINK_PATTERN}")
      message(FATAL_ERROR "layering: ${target} must not link ${lib} (kiosk/core is headless)")
    endif()
  endforeach()
endfunction()
