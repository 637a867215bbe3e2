# The fleet programs (tests/fhir/fleet.cpp, fleet_kiosk.cpp) and the Node
# engine helper they use; included by tests/fhir and by bench/ (whichever
# comes first), so bench/run has them in a build without tests.
set(KIOSK_FHIR_ENGINE_DIR ${PROJECT_BINARY_DIR}/tests/fhir/engine)
add_library(kiosk_fhir_test_support STATIC ${CMAKE_CURRENT_LIST_DIR}/node_service.cpp)
target_link_libraries(kiosk_fhir_test_support PUBLIC kiosk_core)
target_include_directories(kiosk_fhir_test_support PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_compile_definitions(kiosk_fhir_test_support PRIVATE FHIR_ENGINE_DIR="${KIOSK_FHIR_ENGINE_DIR}")
kiosk_defaults(kiosk_fhir_test_support)

add_executable(fhir_fleet_kiosk ${CMAKE_CURRENT_LIST_DIR}/fleet_kiosk.cpp)
target_link_libraries(fhir_fleet_kiosk PRIVATE kiosk_core CLI11::CLI11)
kiosk_defaults(fhir_fleet_kiosk)

add_executable(fhir_fleet ${CMAKE_CURRENT_LIST_DIR}/fleet.cpp)
target_link_libraries(fhir_fleet PRIVATE kiosk_fhir_test_support kiosk_script CLI11::CLI11)
target_compile_definitions(fhir_fleet PRIVATE KIOSK_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_dependencies(fhir_fleet fhir_fleet_kiosk)
kiosk_defaults(fhir_fleet)

# Installs the engine (Medplum's FHIR router, the R4 schema validator) from npm into the build tree.
set(KIOSK_FHIR_ENGINE_INSTALL ${CMAKE_COMMAND} -DSRC=${CMAKE_CURRENT_LIST_DIR}/engine -DDEST=${KIOSK_FHIR_ENGINE_DIR}
    -DFILES=package.json,package-lock.json,server.js,fault_proxy.js "-DNAME=FHIR engine"
    -P ${PROJECT_SOURCE_DIR}/tests/export/install_validator.cmake)
