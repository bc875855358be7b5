# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT

# cmake -P script behind the CTest test "version" (and step 3 of package_test.cmake, on
# the installed files): the version is written once, in project(VERSION) of the top-level
# CMakeLists.txt, and everything that states it agrees with -DVERSION=<that version>:
#   CONFIG_VERSION_FILE  RunGroupConfigVersion.cmake: PACKAGE_VERSION
#   PC_FILES             RunGroup.pc, RunGroupQml.pc: Version:
#   QML_REGISTRATION     (optional) the QML module's generated type registration:
#                        qmlRegisterModule("RunGroup", major, minor)
#   LIBRARY_FILE         (optional) libRunGroup's file: ends in .so.<version> when shared
#   SOURCE_DIR           (optional) the docs: CHANGELOG.md has a section for major.minor,
#                        docs/building.md names libRunGroup.so.<version>
cmake_minimum_required(VERSION 3.21)

foreach(var VERSION CONFIG_VERSION_FILE PC_FILES)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
        message(FATAL_ERROR "check_version.cmake: -D${var}=... is required")
    endif()
endforeach()
if(NOT VERSION MATCHES "^([0-9]+)\\.([0-9]+)\\.([0-9]+)$")
    message(FATAL_ERROR "version: ${VERSION} is not major.minor.patch")
endif()
set(major ${CMAKE_MATCH_1})
set(minor ${CMAKE_MATCH_2})
set(failures "")

# The CMake package's version file, read as find_package reads it.
set(PACKAGE_FIND_VERSION ${VERSION})
include(${CONFIG_VERSION_FILE})
if(NOT PACKAGE_VERSION STREQUAL VERSION)
    string(APPEND failures "\n  ${CONFIG_VERSION_FILE}: PACKAGE_VERSION ${PACKAGE_VERSION}")
endif()

foreach(pc IN LISTS PC_FILES)
    file(STRINGS ${pc} line REGEX "^Version:")
    if(NOT line MATCHES "^Version: *${VERSION}$")
        string(APPEND failures "\n  ${pc}: '${line}'")
    endif()
endforeach()

if(QML_REGISTRATION)
    # One registration per minor version up to the module's own (1.0, 1.1, ...).
    file(READ ${QML_REGISTRATION} text)
    string(REGEX MATCHALL "qmlRegisterModule\\(\"RunGroup\", [0-9]+, [0-9]+\\)" calls "${text}")
    set(highest "")
    foreach(call IN LISTS calls)
        string(REGEX REPLACE ".*, ([0-9]+), ([0-9]+)\\)" "\\1.\\2" registered "${call}")
        if(NOT highest OR registered VERSION_GREATER highest)
            set(highest ${registered})
        endif()
    endforeach()
    if(NOT highest STREQUAL "${major}.${minor}")
        string(APPEND failures "\n  ${QML_REGISTRATION}: the QML module's version is "
                               "'${highest}', not ${major}.${minor}")
    endif()
endif()

if(LIBRARY_FILE AND LIBRARY_FILE MATCHES "\\.so")
    get_filename_component(name ${LIBRARY_FILE} NAME)
    if(NOT name STREQUAL "libRunGroup.so.${VERSION}")
        string(APPEND failures "\n  the library is ${name}")
    endif()
endif()

if(SOURCE_DIR)
    file(READ ${SOURCE_DIR}/CHANGELOG.md changelog)
    # "## [Unreleased] (1.1)" while in development, "## [1.1.0] - <date>" once released.
    string(REPLACE "." "\\." minor_re "${major}.${minor}")
    string(REPLACE "." "\\." version_re "${VERSION}")
    if(NOT changelog MATCHES "\n## \\[(Unreleased\\] \\(${minor_re}\\)|${version_re}\\])")
        string(APPEND failures "\n  CHANGELOG.md has no section '## [Unreleased] (${major}.${minor})'"
                               " or '## [${VERSION}]'")
    endif()
    file(READ ${SOURCE_DIR}/docs/building.md building)
    string(FIND "${building}" "libRunGroup.so.${VERSION}" at)
    if(at EQUAL -1)
        string(APPEND failures "\n  docs/building.md does not name libRunGroup.so.${VERSION}")
    endif()
endif()

if(failures)
    message(FATAL_ERROR "version: project(VERSION ${VERSION}) disagrees with:${failures}")
endif()
message(STATUS "version: ${VERSION} everywhere")
