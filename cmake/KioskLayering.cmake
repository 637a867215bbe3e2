# Layering, checked by the build (docs/ARCHITECTURE.md, "Layers").
#
#   kiosk_layer(target LAYER name [USES layer...] [UI])
#     The target belongs to layer `name` (folder kiosk/<name>). Its sources, and
#     every project header they reach, include only its own folder and the
#     folders of the layers it USES (and what those use, transitively); it
#     links only their libraries. Without UI it includes and links no ImGui or
#     SDL. The pseudo-layer `sdk` is plugins/include, the plugin SDK.
#   kiosk_forbid_ui(target)
#     Headless code outside kiosk/ (device emulators): no ImGui or SDL.
#   kiosk_plugin_code(target)
#     Plugin code (a plugin, or a static library linked into one): includes only
#     plugins/include, its own folder and kiosk/signal (the one model library a
#     plugin may link), and links no other project library.
#
# Include rules fail the build (cmake/CheckIncludes.cmake runs before each
# target links); link rules fail the configure. Both look at what a target is
# built from, not at folders.
set(KIOSK_FORBIDDEN_LINK_PATTERN "imgui|SDL2|IMGUI")
set(KIOSK_PLUGIN_LINKABLE kiosk_plugin_sdk kiosk_signal)

function(_kiosk_layer_dir layer out)
  if(layer STREQUAL "sdk")
    set(${out} ${PROJECT_SOURCE_DIR}/plugins/include PARENT_SCOPE)
  else()
    set(${out} ${PROJECT_SOURCE_DIR}/kiosk/${layer} PARENT_SCOPE)
  endif()
endfunction()

# The layers reachable from `uses`, transitively, through each layer's USES.
function(_kiosk_layer_closure uses out)
  set(closure "")
  set(pending ${uses})
  while(pending)
    list(POP_FRONT pending layer)
    if(NOT layer IN_LIST closure)
      list(APPEND closure ${layer})
      get_property(more GLOBAL PROPERTY KIOSK_LAYER_USES_${layer})
      list(APPEND pending ${more})
    endif()
  endwhile()
  set(${out} ${closure} PARENT_SCOPE)
endfunction()

# kiosk_write_include_spec(file TARGET t SOURCES ... ROOTS ... [ALLOWED ...] [FORBID_UI])
# The input of cmake/CheckIncludes.cmake. No ALLOWED: any project folder.
function(kiosk_write_include_spec file)
  cmake_parse_arguments(S "FORBID_UI" "TARGET" "SOURCES;ROOTS;ALLOWED" ${ARGN})
  file(WRITE ${file}
    "set(CHECK_TARGET \"${S_TARGET}\")\nset(CHECK_SOURCES \"${S_SOURCES}\")\n"
    "set(CHECK_ROOTS \"${S_ROOTS}\")\nset(CHECK_ALLOWED \"${S_ALLOWED}\")\n"
    "set(CHECK_FORBID_UI ${S_FORBID_UI})\n")
endfunction()

# Deferred to the end of the configure, when the target's sources and links are final.
function(_kiosk_defer call target)
  set(args "")
  math(EXPR last "${ARGC} - 1")
  foreach(i RANGE 2 ${last})  # each argument quoted, so a list stays one argument
    string(APPEND args " [==[${ARGV${i}}]==]")
  endforeach()
  cmake_language(EVAL CODE "
    cmake_language(DEFER DIRECTORY \"${PROJECT_SOURCE_DIR}\" CALL ${call} ${target}${args})")
endfunction()

function(_kiosk_target_sources target out)
  get_target_property(dir ${target} SOURCE_DIR)
  get_target_property(sources ${target} SOURCES)
  set(abs "")
  foreach(src IN LISTS sources)
    cmake_path(ABSOLUTE_PATH src BASE_DIRECTORY ${dir} NORMALIZE OUTPUT_VARIABLE path)
    list(APPEND abs ${path})
  endforeach()
  set(${out} ${abs} PARENT_SCOPE)
endfunction()

# Writes the include spec of `target` from its own sources; OWN_DIR in the
# arguments (ROOTS, ALLOWED) stands for the target's folder.
function(_kiosk_write_target_spec target)
  _kiosk_target_sources(${target} sources)
  get_target_property(own_dir ${target} SOURCE_DIR)
  set(args ${ARGN})
  list(TRANSFORM args REPLACE "^OWN_DIR$" "${own_dir}")
  kiosk_write_include_spec(${PROJECT_BINARY_DIR}/layering/${target}.cmake TARGET ${target} SOURCES ${sources} ${args})
endfunction()

function(_kiosk_add_include_check target)
  set(spec ${PROJECT_BINARY_DIR}/layering/${target}.cmake)
  add_custom_command(TARGET ${target} PRE_LINK
    COMMAND ${CMAKE_COMMAND} -DSPEC=${spec} -P ${PROJECT_SOURCE_DIR}/cmake/CheckIncludes.cmake
    COMMENT "Checking what ${target} includes")
endfunction()

function(kiosk_layer target)
  cmake_parse_arguments(L "UI" "LAYER" "USES" ${ARGN})
  get_property(known GLOBAL PROPERTY KIOSK_LAYER_USES_${L_LAYER} SET)
  if(NOT known)
    set_property(GLOBAL PROPERTY KIOSK_LAYER_USES_${L_LAYER} ${L_USES})
  endif()
  set_property(TARGET ${target} PROPERTY KIOSK_LAYER ${L_LAYER})
  _kiosk_layer_closure("${L_USES}" closure)
  set(allowed_layers ${L_LAYER} ${closure})
  set(forbid_ui FORBID_UI)
  if(L_UI)
    set(forbid_ui "")
  endif()
  _kiosk_defer(_kiosk_check_layer ${target} "${allowed_layers}" "${forbid_ui}")
  _kiosk_add_include_check(${target})
endfunction()

function(_kiosk_check_layer target allowed_layers forbid_ui)
  set(dirs "")
  foreach(layer IN LISTS allowed_layers)
    _kiosk_layer_dir(${layer} dir)
    list(APPEND dirs ${dir})
  endforeach()
  _kiosk_write_target_spec(${target} ROOTS OWN_DIR ${PROJECT_SOURCE_DIR}/kiosk ${PROJECT_SOURCE_DIR}/plugins/include
                           ALLOWED ${dirs} ${forbid_ui})
  get_target_property(links ${target} LINK_LIBRARIES)
  foreach(lib IN LISTS links)
    if(TARGET ${lib})
      get_target_property(layer ${lib} KIOSK_LAYER)
      if(layer AND NOT layer IN_LIST allowed_layers)
        list(GET allowed_layers 0 own)
        message(FATAL_ERROR "layering: ${target} must not link ${lib}: layer ${own} does not use layer ${layer}")
      endif()
    endif()
  endforeach()
  if(forbid_ui)
    _kiosk_check_no_ui_links(${target})
  endif()
endfunction()

function(kiosk_forbid_ui target)
  _kiosk_defer(_kiosk_check_forbid_ui ${target})
  _kiosk_add_include_check(${target})
endfunction()

function(_kiosk_check_forbid_ui target)
  _kiosk_write_target_spec(${target} ROOTS OWN_DIR ${PROJECT_SOURCE_DIR}/kiosk FORBID_UI)
  _kiosk_check_no_ui_links(${target})
endfunction()

function(kiosk_plugin_code target)
  _kiosk_defer(_kiosk_check_plugin_code ${target})
  _kiosk_add_include_check(${target})
endfunction()

function(_kiosk_check_plugin_code target)
  _kiosk_write_target_spec(${target}
    ROOTS OWN_DIR ${PROJECT_SOURCE_DIR}/plugins/include ${PROJECT_SOURCE_DIR}/plugins ${PROJECT_SOURCE_DIR}/kiosk
    ALLOWED OWN_DIR ${PROJECT_SOURCE_DIR}/plugins/include ${PROJECT_SOURCE_DIR}/kiosk/signal FORBID_UI)
  get_target_property(own_dir ${target} SOURCE_DIR)
  get_target_property(links ${target} LINK_LIBRARIES)
  foreach(lib IN LISTS links)
    if(TARGET ${lib} AND NOT lib IN_LIST KIOSK_PLUGIN_LINKABLE)
      get_target_property(imported ${lib} IMPORTED)
      get_target_property(lib_dir ${lib} SOURCE_DIR)
      cmake_path(IS_PREFIX own_dir "${lib_dir}" NORMALIZE inside)
      if(NOT imported AND NOT inside)
        message(FATAL_ERROR "layering: plugin code ${target} must not link ${lib}; a plugin links only "
                            "${KIOSK_PLUGIN_LINKABLE}, its own folder's libraries and system libraries")
      endif()
    endif()
  endforeach()
endfunction()

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

function(_kiosk_check_no_ui_links target)
  set(all "")
  _kiosk_collect_links(${target} all)
  foreach(lib IN LISTS all)
    if(lib MATCHES "${KIOSK_FORBIDDEN_LINK_PATTERN}")
      message(FATAL_ERROR "layering: ${target} must not link ${lib} (headless code)")
    endif()
  endforeach()
endfunction()
