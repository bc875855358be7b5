# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT

# cmake -P script behind the CTest test "package" (see CMakeLists.txt beside it):
#   1. cmake --install <build> --prefix <work>/prefix
#   2. move the prefix to <work>/moved, so nothing can still point at the old path
#   3. check the installed CMake files name neither the old prefix nor the build or source tree
#   4. configure, build and run consumer/ with CMAKE_PREFIX_PATH=<work>/moved
#   5. with QMLTESTRUNNER (the QML module was built): the installed module holds the
#      top-level qmldir, the plugin and the .qmltypes; qmltestrunner imports it from the
#      moved prefix (so the plugin finds its libraries there); consumer/'s qmlapp declares
#      a C++ ThreadActor from find_package(RunGroup COMPONENTS Qml) in a QML RunGroup
cmake_minimum_required(VERSION 3.21)

foreach(var RUNGROUP_BUILD_DIR RUNGROUP_SOURCE_DIR RUNGROUP_VERSION CONSUMER_SOURCE_DIR
            WORK_DIR GENERATOR CXX_COMPILER)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
        message(FATAL_ERROR "package_test.cmake: -D${var}=... is required")
    endif()
endforeach()

function(run_step what)
    message(STATUS "package: ${what}")
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out
                    ERROR_VARIABLE out)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "package: ${what} failed (${result}):\n${out}")
    endif()
    set(step_output "${out}" PARENT_SCOPE)
endfunction()

set(prefix ${WORK_DIR}/prefix)
set(moved ${WORK_DIR}/moved)
set(consumer_build ${WORK_DIR}/consumer-build)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# 1. Install, exactly as a packager would.
set(config_args)
if(BUILD_TYPE)
    set(config_args --config ${BUILD_TYPE})
endif()
run_step("install into ${prefix}"
    ${CMAKE_COMMAND} --install ${RUNGROUP_BUILD_DIR} --prefix ${prefix} ${config_args})

# 2. Relocate: the old prefix no longer exists.
file(RENAME ${prefix} ${moved})

# 3. The package files must locate everything relative to themselves.
file(GLOB_RECURSE config_files ${moved}/*.cmake)
if(NOT config_files)
    message(FATAL_ERROR "package: no CMake package files installed under ${moved}")
endif()
foreach(file ${config_files})
    file(READ ${file} text)
    foreach(path ${prefix} ${RUNGROUP_BUILD_DIR} ${RUNGROUP_SOURCE_DIR})
        string(FIND "${text}" "${path}" at)
        if(NOT at EQUAL -1)
            message(FATAL_ERROR "package: ${file} names ${path}: the package is not relocatable")
        endif()
    endforeach()
endforeach()

# 4. A consumer built against the moved prefix. A sanitized library needs a sanitized
# executable (the runtime must come first), so the consumer gets the same flags.
set(cxx_flags "")
if(RUNGROUP_SANITIZE STREQUAL "address")
    set(cxx_flags "-fsanitize=address,undefined -fno-omit-frame-pointer")
elseif(RUNGROUP_SANITIZE STREQUAL "thread")
    set(cxx_flags "-fsanitize=thread -fno-omit-frame-pointer")
endif()
set(prefix_path ${moved})
if(QT6_DIR)
    # Qt itself may live in a prefix of its own (a Qt installer's, say).
    get_filename_component(qt_prefix "${QT6_DIR}/../../.." ABSOLUTE)
    list(APPEND prefix_path ${qt_prefix})
endif()
string(REPLACE ";" "\\;" prefix_path_arg "${prefix_path}")
set(make_program_arg)
if(MAKE_PROGRAM)
    set(make_program_arg -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM})
endif()
set(build_type ${BUILD_TYPE})
if(NOT build_type)
    set(build_type RelWithDebInfo)
endif()
set(consumer_qml OFF)
if(QMLTESTRUNNER)
    set(consumer_qml ON)
endif()
run_step("configure the consumer against ${moved}"
    ${CMAKE_COMMAND} -S ${CONSUMER_SOURCE_DIR} -B ${consumer_build} -G ${GENERATOR}
        -DCONSUMER_QML=${consumer_qml}
        ${make_program_arg}
        -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
        -DCMAKE_BUILD_TYPE=${build_type}
        "-DCMAKE_CXX_FLAGS=${cxx_flags}"
        "-DCMAKE_PREFIX_PATH=${prefix_path_arg}"
        -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)
string(FIND "${step_output}" "Found RunGroup ${RUNGROUP_VERSION} in ${moved}/" at)
if(at EQUAL -1)
    message(FATAL_ERROR "package: the consumer did not find RunGroup ${RUNGROUP_VERSION} "
                        "in ${moved}:\n${step_output}")
endif()

run_step("build the consumer" ${CMAKE_COMMAND} --build ${consumer_build})

find_program(app NAMES app PATHS ${consumer_build} ${consumer_build}/${build_type}
             NO_DEFAULT_PATH REQUIRED)
run_step("run the consumer" ${app})
string(STRIP "${step_output}" step_output)
set(expected "RunGroup ${RUNGROUP_VERSION}: Failure: consumer: done")
if(NOT step_output STREQUAL expected)
    message(FATAL_ERROR "package: the consumer printed\n  ${step_output}\ninstead of\n  ${expected}")
endif()
message(STATUS "package: ${step_output}")

# 5. The QML module, installed and relocated.
if(NOT QMLTESTRUNNER)
    return()
endif()
set(qml_module ${moved}/${QML_INSTALL_DIR}/RunGroup)
file(READ ${RUNGROUP_SOURCE_DIR}/qmldir source_qmldir)
if(NOT EXISTS ${qml_module}/qmldir)
    message(FATAL_ERROR "package: ${qml_module}/qmldir is not installed")
endif()
file(READ ${qml_module}/qmldir installed_qmldir)
if(NOT installed_qmldir STREQUAL source_qmldir)
    message(FATAL_ERROR "package: the installed qmldir is not the top-level qmldir")
endif()
foreach(file ${QML_TYPEINFO} librungroupqmlplugin.so)
    if(NOT EXISTS ${qml_module}/${file})
        message(FATAL_ERROR "package: ${qml_module}/${file} is not installed")
    endif()
endforeach()
set(ENV{QT_QPA_PLATFORM} offscreen)
# Qt's QML engine runs threads of its own, inside uninstrumented Qt: the test suite's
# ThreadSanitizer options ignore those.
set(ENV{TSAN_OPTIONS} "${TSAN_OPTIONS}")
if(SANITIZER_PRELOAD)
    # qmltestrunner is not instrumented; the sanitized plugin needs the runtime first.
    set(ENV{LD_PRELOAD} ${SANITIZER_PRELOAD})
    set(ENV{ASAN_OPTIONS} detect_leaks=0)
endif()
run_step("import RunGroup from ${moved}/${QML_INSTALL_DIR}"
    ${QMLTESTRUNNER} -import ${moved}/${QML_INSTALL_DIR}
        -input ${RUNGROUP_SOURCE_DIR}/tests/auto/qml/plugin)
unset(ENV{LD_PRELOAD})
unset(ENV{ASAN_OPTIONS})
find_program(qmlapp NAMES qmlapp PATHS ${consumer_build} ${consumer_build}/${build_type}
             NO_DEFAULT_PATH REQUIRED)
run_step("run the QML consumer" ${qmlapp} ${moved}/${QML_INSTALL_DIR})
if(NOT step_output MATCHES "qml consumer: Failure: worker: done")
    message(FATAL_ERROR "package: the QML consumer printed\n${step_output}")
endif()
message(STATUS "package: qml consumer: Failure: worker: done")
