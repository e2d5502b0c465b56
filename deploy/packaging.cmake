# Packaging: `cpack -G DEB` in the build directory makes reciprocity_<ver>_<arch>.deb
# holding reciprocityd, recip, reciprocity-web, their systemd units, the example rule files and
# configuration, and the man pages. Included by the top-level CMakeLists.txt.
set(RECIP_DEPLOY_DIR ${PROJECT_SOURCE_DIR}/deploy)

install(FILES ${RECIP_DEPLOY_DIR}/reciprocityd.service
              ${RECIP_DEPLOY_DIR}/reciprocity-web.service
        DESTINATION lib/systemd/system COMPONENT reciprocity)
install(FILES ${RECIP_DEPLOY_DIR}/reciprocity.conf.example
        DESTINATION share/reciprocity)
install(FILES ${RECIP_DEPLOY_DIR}/reciprocity.conf.example
              ${RECIP_DEPLOY_DIR}/README.md
        DESTINATION share/doc/reciprocity)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/policy/areas/
        DESTINATION share/reciprocity/areas
        FILES_MATCHING PATTERN "*.textproto")

# Man pages, compressed as Debian expects.
set(RECIP_MAN_PAGES reciprocityd.8 reciprocity-web.8 recip.1)
set(RECIP_MAN_OUTPUTS)
foreach(page ${RECIP_MAN_PAGES})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/man/${page}.gz)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/man
    COMMAND gzip -9nc ${RECIP_DEPLOY_DIR}/man/${page} > ${out}
    DEPENDS ${RECIP_DEPLOY_DIR}/man/${page} VERBATIM)
  list(APPEND RECIP_MAN_OUTPUTS ${out})
  string(REGEX REPLACE ".*\\.([0-9])$" "\\1" section ${page})
  install(FILES ${out} DESTINATION share/man/man${section})
endforeach()
add_custom_target(recip_man_pages ALL DEPENDS ${RECIP_MAN_OUTPUTS})

set(CPACK_PACKAGE_NAME reciprocity)
set(CPACK_PACKAGE_VENDOR "Reciprocity developers")
set(CPACK_PACKAGE_CONTACT "Reciprocity developers <reciprocity@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "expense and reimbursement service for council participation work")
set(CPACK_PACKAGE_DESCRIPTION
    "Reciprocity judges and records reimbursement claims (travel, childcare,\n\
vouchers) from people who take part in council participation work, against\n\
per-service-area rule files. This package holds the gRPC server\n\
reciprocityd with its systemd unit, the recip command-line client, example\n\
rule files and an example configuration.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# dpkg-shlibdeps (dpkg-dev) works out the library packages; passwd gives
# useradd to the postinst script.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "sqlite3")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${RECIP_DEPLOY_DIR}/debian/postinst
    ${RECIP_DEPLOY_DIR}/debian/prerm
    ${RECIP_DEPLOY_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
