# Test set-up (CTest fixture kiosk_deb): a fresh .deb from this build tree.
#   cmake -DBUILD=<build dir> -DOUT=<folder> -DCPACK=<cpack> -P build_deb.cmake
file(REMOVE_RECURSE ${OUT})
execute_process(COMMAND ${CPACK} -G DEB --config ${BUILD}/CPackConfig.cmake -B ${OUT}
                WORKING_DIRECTORY ${BUILD} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cpack failed (${rc}); is everything built (cmake --build)?\n${out}\n${err}")
endif()
