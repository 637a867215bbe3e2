# Unity build: each target compiles its sources in batches, one translation
# unit per batch, so the headers and templates (json, fmt, spdlog, Catch2)
# shared by a batch are parsed, instantiated and optimised once instead of
# once per file. Measured in bench/build_times.tsv (issue 14). On by default,
# which suits a build from scratch (deploy/check, CI, a new machine); a
# developer editing one file may prefer -DKIOSK_UNITY_BUILD=OFF, where an edit
# recompiles only that file rather than its batch. The precompiled headers
# (cmake/KioskPch.cmake) work with both.
#
# Files in one batch share a scope: two file-local helpers with one name
# clash. Give them distinct names; where that would be a large change, keep
# the file out of the batches:
#   set_source_files_properties(file.cpp PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
option(KIOSK_UNITY_BUILD "Compile each target's sources in batches (unity build)" ON)
# Batch size: 8 keeps the two cores busy to the end of a library while most
# of the repeated parsing and template work is shared.
set(KIOSK_UNITY_BATCH_SIZE 8 CACHE STRING "Source files per unity batch")

if(KIOSK_UNITY_BUILD)
  set(CMAKE_UNITY_BUILD ON)
  set(CMAKE_UNITY_BUILD_BATCH_SIZE ${KIOSK_UNITY_BATCH_SIZE})
  # GCC takes every file a batch includes for a header, and warns when a class
  # declared in a header (a pimpl's Impl) holds a type from the .cpp's
  # anonymous namespace; correct in a .cpp, so quiet here. The build without
  # batches still warns for real headers.
  add_compile_options($<$<COMPILE_LANGUAGE:CXX>:-Wno-subobject-linkage>)
endif()
