# What `cmake --install` puts where, and the Debian package CPack makes of it
# (`cpack -G DEB` in the build dir → heel-kiosk_<version>_<arch>.deb).
# Layout under /usr (the programs find everything relative to bin/, see
# kiosk/core/paths.h):
#   bin/kiosk, bin/kioskctl            the programs (kiosk/app)
#   lib/kiosk/plugins/*.so             device plugins (plugins/)
#   lib/kiosk/kiosk-session            cage + kiosk, run by the service
#   share/kiosk/scripts, assets        Lua scripts, texts, exercises, branding
#   share/kiosk/kiosk.example.toml     the config with every default
#   lib/systemd/system/kiosk.service   the service (deploy/systemd)
#   lib/udev/rules.d/*.rules           every rule in deploy/udev/ (force plates)
#   share/doc/heel-kiosk/README.md     the guide for clinic IT (deploy/README.md)
#   /etc/pam.d/kiosk                   the service's PAM session (a conffile)
set(KIOSK_SHARE_DIR share/kiosk)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/scripts/ DESTINATION ${KIOSK_SHARE_DIR}/scripts)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/assets/ DESTINATION ${KIOSK_SHARE_DIR}/assets
        PATTERN screenshots EXCLUDE)  # README pictures, not used by the program
install(FILES ${PROJECT_SOURCE_DIR}/deploy/kiosk.example.toml DESTINATION ${KIOSK_SHARE_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/devices/calibration/five_marks.toml DESTINATION ${KIOSK_SHARE_DIR}/calibration)  # kioskctl calibrate --positions
install(PROGRAMS ${PROJECT_SOURCE_DIR}/deploy/cage/kiosk-session DESTINATION lib/kiosk)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/kiosk.service DESTINATION lib/systemd/system)
if(EXISTS ${PROJECT_SOURCE_DIR}/deploy/udev)  # e.g. 70-kiosk-usbplate.rules
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/deploy/udev/ DESTINATION lib/udev/rules.d
          FILES_MATCHING PATTERN "*.rules")
endif()
install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/kiosk.pam DESTINATION /etc/pam.d RENAME kiosk)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/README.md DESTINATION share/doc/heel-kiosk)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME heel-kiosk)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "Heel check kiosk maintainers <kiosk@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # library packages from what the binaries link (dpkg-shlibdeps)
# Run-time needs beyond linked libraries (deploy/install-deps --runtime lists the same).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "cage, fonts-dejavu-core, adduser, systemd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/deploy/debian/postinst
    ${PROJECT_SOURCE_DIR}/deploy/debian/prerm
    ${PROJECT_SOURCE_DIR}/deploy/debian/postrm
    ${PROJECT_SOURCE_DIR}/deploy/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
