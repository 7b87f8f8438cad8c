# `cmake --install`: bin/voipsim, the scenario library and the docs under share/voipsim, and the
# embeddable parts as a CMake package, so that another project writes
#   find_package(voipsim CONFIG REQUIRED)
#   target_link_libraries(my_tests PRIVATE voipsim::mock_apns_testing)   # or voipsim::mock_apns
# and `cpack` (CPack's DEB generator) makes a .deb of the same (issue #22).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(VOIPSIM_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/voipsim")
set(voipsim_exported voipsim_core voipsim_net voipsim_pki voipsim_mock_apns)
set(VOIPSIM_EXPORTS_TESTING OFF)
if(TARGET voipsim_mock_apns_testing)
  list(APPEND voipsim_exported voipsim_mock_apns_testing)
  set(VOIPSIM_EXPORTS_TESTING ON)
endif()

install(TARGETS voipsim RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(TARGETS ${voipsim_exported} EXPORT voipsimTargets
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
# The headers of the exported parts, at the paths they are included by ("mock_apns/server.hpp").
foreach(part_dir src/core src/net src/pki mock_apns)
  get_filename_component(part "${part_dir}" NAME)
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/${part_dir}/" DESTINATION "include/voipsim/${part}"
          FILES_MATCHING PATTERN "*.hpp" PATTERN "console" EXCLUDE)
endforeach()
install(EXPORT voipsimTargets NAMESPACE voipsim:: DESTINATION "${VOIPSIM_CMAKE_DIR}")

configure_package_config_file(cmake/voipsimConfig.cmake.in
                              "${PROJECT_BINARY_DIR}/voipsimConfig.cmake"
                              INSTALL_DESTINATION "${VOIPSIM_CMAKE_DIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/voipsimConfigVersion.cmake"
                                 COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/voipsimConfig.cmake"
              "${PROJECT_BINARY_DIR}/voipsimConfigVersion.cmake"
        DESTINATION "${VOIPSIM_CMAKE_DIR}")

install(DIRECTORY scenarios/ DESTINATION "${CMAKE_INSTALL_DATADIR}/voipsim/scenarios")
install(DIRECTORY docs/spec DESTINATION "${CMAKE_INSTALL_DATADIR}/voipsim/docs")
install(FILES README.md docs/clients.md DESTINATION "${CMAKE_INSTALL_DATADIR}/voipsim/docs")
install(FILES mock_apns/README.md DESTINATION "${CMAKE_INSTALL_DATADIR}/voipsim/docs"
        RENAME mock_apns.md)

# cpack -G DEB in the build folder: voipsim_<version>_amd64.deb. Its dependencies are Debian 12's
# names: the shared libraries voipsim runs with, and the -dev packages the CMake package's
# targets link (static parts; nghttp2, OpenSSL, Asio and nlohmann headers; GoogleTest).
set(CPACK_PACKAGE_NAME voipsim)
set(CPACK_PACKAGE_VENDOR "voipsim")
set(CPACK_PACKAGE_CONTACT "voipsim developers <voipsim@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON) # the package without the build's debug information
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libnghttp2-14, libssl3, libsqlite3-0, libyaml-cpp0.7, libstdc++6, libgcc-s1, libc6, libnghttp2-dev, libssl-dev, libboost-dev, nlohmann-json3-dev, libgtest-dev, pkg-config")
include(CPack)
