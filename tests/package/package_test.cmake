# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT

# cmake -P script behind the CTest tests "package" and "package-static" (see
# CMakeLists.txt beside it):
#   0. with STATIC_BUILD_DIR (package-static): configure and build the library and the QML
#      module there with -DBUILD_SHARED_LIBS=OFF; that build is the one installed
#   1. cmake --install <build> --prefix <work>/prefix
#   2. move the prefix to <work>/moved, so nothing can still point at the old path
#   3. check the installed CMake files name neither the old prefix nor the build or source
#      tree, and that the installed version files agree (check_version.cmake)
#   4. configure, build and run consumer/ with CMAKE_PREFIX_PATH=<work>/moved
#   5. build consumer/main.cpp with plain g++ and pkg-config (PKG_CONFIG_PATH in the moved
#      prefix), and run it
#   6. with QMLTESTRUNNER (the QML module was built): the installed module holds the
#      top-level qmldir, the plugin, the .qmltypes and the metatypes; qmltestrunner imports
#      it from the moved prefix (shared builds: it cannot load a static plugin); consumer/'s
#      own QML module subclasses ThreadActor: its .qmltypes names ThreadActor, qmllint
#      checks its Main.qml without a warning, and qmlapp runs it
cmake_minimum_required(VERSION 3.21)

foreach(var RUNGROUP_BUILD_DIR RUNGROUP_SOURCE_DIR RUNGROUP_VERSION CONSUMER_SOURCE_DIR
            WORK_DIR GENERATOR CXX_COMPILER LIBDIR PKGCONFIG_DIR LIBRARY_TYPE)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
        message(FATAL_ERROR "package_test.cmake: -D${var}=... is required")
    endif()
endforeach()

set(name package)
if(STATIC_BUILD_DIR)
    set(name package-static)
endif()
# The installed libraries are static: STATIC_BUILD_DIR's, or this build's own when it was
# configured with -DBUILD_SHARED_LIBS=OFF.
set(static OFF)
if(LIBRARY_TYPE STREQUAL "STATIC")
    set(static ON)
endif()

function(run_step what)
    message(STATUS "${name}: ${what}")
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out
                    ERROR_VARIABLE out)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "${name}: ${what} failed (${result}):\n${out}")
    endif()
    set(step_output "${out}" PARENT_SCOPE)
endfunction()

function(fail what)
    message(FATAL_ERROR "${name}: ${what}")
endfunction()

set(prefix ${WORK_DIR}/prefix)
set(moved ${WORK_DIR}/moved)
set(consumer_build ${WORK_DIR}/consumer-build)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

set(build_type ${BUILD_TYPE})
if(NOT build_type)
    set(build_type RelWithDebInfo)
endif()
set(make_program_arg)
if(MAKE_PROGRAM)
    set(make_program_arg -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM})
endif()
set(qt_prefix)
if(QT6_DIR)
    # Qt itself may live in a prefix of its own (a Qt installer's, say).
    get_filename_component(qt_prefix "${QT6_DIR}/../../.." ABSOLUTE)
endif()

set(consumer_qml OFF)
if(QMLTESTRUNNER)
    set(consumer_qml ON)
endif()
# HTTP: this build has RunGroup::Http (HealthEndpoint); the consumer then also builds
# healthapp with find_package(RunGroup COMPONENTS Http).
set(consumer_http OFF)
if(HTTP)
    set(consumer_http ON)
endif()

# 0. The static build: the library and the QML module only, in a build directory that is
# kept between runs (a rerun rebuilds only what changed), two jobs as the suite's builds.
set(install_from ${RUNGROUP_BUILD_DIR})
if(STATIC_BUILD_DIR)
    run_step("configure a static build in ${STATIC_BUILD_DIR}"
        ${CMAKE_COMMAND} -S ${RUNGROUP_SOURCE_DIR} -B ${STATIC_BUILD_DIR} -G ${GENERATOR}
            ${make_program_arg}
            -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
            -DCMAKE_BUILD_TYPE=${build_type}
            "-DCMAKE_PREFIX_PATH=${qt_prefix}"
            -DBUILD_SHARED_LIBS=OFF
            -DRUNGROUP_BUILD_TESTS=OFF -DRUNGROUP_BUILD_EXAMPLES=OFF
            -DRUNGROUP_BUILD_BENCHMARKS=OFF
            -DRUNGROUP_BUILD_QML=${consumer_qml}
            -DRUNGROUP_BUILD_HTTP=${consumer_http}
            -DRUNGROUP_QML_INSTALL_DIR=${QML_INSTALL_DIR})
    run_step("build the static libraries" ${CMAKE_COMMAND} --build ${STATIC_BUILD_DIR} -j 2)
    set(install_from ${STATIC_BUILD_DIR})
endif()

# 1. Install, exactly as a packager would.
set(config_args)
if(BUILD_TYPE)
    set(config_args --config ${BUILD_TYPE})
endif()
run_step("install into ${prefix}"
    ${CMAKE_COMMAND} --install ${install_from} --prefix ${prefix} ${config_args})

# 2. Relocate: the old prefix no longer exists.
file(RENAME ${prefix} ${moved})

# 3. The package files must locate everything relative to themselves.
file(GLOB_RECURSE config_files ${moved}/*.cmake ${moved}/*.pc)
if(NOT config_files)
    fail("no CMake package files installed under ${moved}")
endif()
foreach(file ${config_files})
    file(READ ${file} text)
    foreach(path ${prefix} ${install_from} ${RUNGROUP_SOURCE_DIR})
        string(FIND "${text}" "${path}" at)
        if(NOT at EQUAL -1)
            fail("${file} names ${path}: the package is not relocatable")
        endif()
    endforeach()
endforeach()
set(pc_files ${moved}/${PKGCONFIG_DIR}/RunGroup.pc)
if(QMLTESTRUNNER)
    list(APPEND pc_files ${moved}/${PKGCONFIG_DIR}/RunGroupQml.pc)
endif()
run_step("the installed files state version ${RUNGROUP_VERSION}"
    ${CMAKE_COMMAND} -DVERSION=${RUNGROUP_VERSION}
        -DCONFIG_VERSION_FILE=${moved}/${LIBDIR}/cmake/RunGroup/RunGroupConfigVersion.cmake
        "-DPC_FILES=${pc_files}"
        -P ${CMAKE_CURRENT_LIST_DIR}/check_version.cmake)
if(static)
    if(NOT EXISTS ${moved}/${LIBDIR}/libRunGroup.a OR EXISTS ${moved}/${LIBDIR}/libRunGroup.so)
        fail("a static build installs ${LIBDIR}/libRunGroup.a and no libRunGroup.so")
    endif()
endif()

# 4. A consumer built against the moved prefix. A sanitized library needs a sanitized
# executable (the runtime must come first), so the consumer gets the same flags.
set(cxx_flags "")
if(RUNGROUP_SANITIZE STREQUAL "address")
    set(cxx_flags "-fsanitize=address,undefined -fno-omit-frame-pointer")
elseif(RUNGROUP_SANITIZE STREQUAL "thread")
    set(cxx_flags "-fsanitize=thread -fno-omit-frame-pointer")
endif()
set(prefix_path ${moved} ${qt_prefix})
string(REPLACE ";" "\\;" prefix_path_arg "${prefix_path}")
run_step("configure the consumer against ${moved}"
    ${CMAKE_COMMAND} -S ${CONSUMER_SOURCE_DIR} -B ${consumer_build} -G ${GENERATOR}
        -DCONSUMER_QML=${consumer_qml}
        -DCONSUMER_HTTP=${consumer_http}
        ${make_program_arg}
        -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
        -DCMAKE_BUILD_TYPE=${build_type}
        "-DCMAKE_CXX_FLAGS=${cxx_flags}"
        "-DCMAKE_PREFIX_PATH=${prefix_path_arg}"
        -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)
string(FIND "${step_output}" "Found RunGroup ${RUNGROUP_VERSION} in ${moved}/" at)
if(at EQUAL -1)
    fail("the consumer did not find RunGroup ${RUNGROUP_VERSION} in ${moved}:\n${step_output}")
endif()

run_step("build the consumer" ${CMAKE_COMMAND} --build ${consumer_build} -j 2)

set(expected "RunGroup ${RUNGROUP_VERSION}: Failure: consumer: done")
find_program(app NAMES app PATHS ${consumer_build} ${consumer_build}/${build_type}
             NO_DEFAULT_PATH REQUIRED)
# run_consumer(<what> <program>): runs a consumer build, which must print ${expected}.
macro(run_consumer what program)
    run_step("run the ${what}" ${program})
    string(STRIP "${step_output}" step_output)
    if(NOT step_output STREQUAL expected)
        fail("the ${what} printed\n  ${step_output}\ninstead of\n  ${expected}")
    endif()
    message(STATUS "${name}: ${what}: ${step_output}")
endmacro()
run_consumer("consumer" ${app})

# 4b. The Http component: installed headers, its targets file, and healthapp asking its
# own /readyz over a socket.
if(consumer_http)
    foreach(file include/RunGroup/HealthEndpoint
                 include/RunGroup/healthendpoint.h include/RunGroup/rungrouphttp_export.h
                 ${LIBDIR}/cmake/RunGroup/RunGroupHttpTargets.cmake)
        if(NOT EXISTS ${moved}/${file})
            fail("${file} is not installed")
        endif()
    endforeach()
    find_program(healthapp NAMES healthapp PATHS ${consumer_build}
                 ${consumer_build}/${build_type} NO_DEFAULT_PATH REQUIRED)
    run_step("run healthapp" ${healthapp})
    string(STRIP "${step_output}" step_output)
    if(NOT step_output STREQUAL "RunGroup::Http: HTTP/1.1 200 OK")
        fail("healthapp printed\n  ${step_output}\ninstead of\n  RunGroup::Http: HTTP/1.1 200 OK")
    endif()
    message(STATUS "${name}: healthapp: ${step_output}")
endif()

# 5. The same main.cpp without CMake: g++ and pkg-config, as a Makefile or Meson user
# would. --static adds Libs.private and Requires.private for a static libRunGroup. The
# version it prints is pkg-config's --modversion; the rpath is RunGroup.pc's libdir.
if(NOT PKG_CONFIG)
    message(STATUS "${name}: pkg-config not found: the g++ consumer is skipped")
else()
    set(pc_path ${moved}/${PKGCONFIG_DIR})
    if(QT6_DIR)
        # Qt6Core.pc, beside Qt's CMake packages (<libdir>/cmake/Qt6 -> <libdir>/pkgconfig).
        get_filename_component(qt_pc_dir "${QT6_DIR}/../../pkgconfig" ABSOLUTE)
        string(APPEND pc_path ":${qt_pc_dir}")
    endif()
    set(static_arg "")
    if(static)
        set(static_arg "--static")
    endif()
    set(ENV{PKG_CONFIG_PATH} "${pc_path}")
    set(pc "${PKG_CONFIG} ${static_arg}")
    set(gxx_app ${WORK_DIR}/app-pkgconfig)
    set(command
        "${CXX_COMPILER} -std=c++17 ${cxx_flags} -o ${gxx_app} ${CONSUMER_SOURCE_DIR}/main.cpp"
        " -DRUNGROUP_CONSUMER_VERSION=\\\"$(${pc} --modversion RunGroup)\\\""
        " $(${pc} --cflags --libs RunGroup)"
        " -Wl,-rpath,$(${pc} --variable=libdir RunGroup)")
    string(JOIN "" command ${command})
    run_step("build main.cpp with g++ and pkg-config: ${command}" sh -c "${command}")
    run_consumer("pkg-config consumer" ${gxx_app})
    unset(ENV{PKG_CONFIG_PATH})
endif()

# 6. The QML module, installed and relocated.
if(NOT QMLTESTRUNNER)
    return()
endif()
set(qml_import_dir ${moved}/${QML_INSTALL_DIR})
set(qml_module ${qml_import_dir}/RunGroup)
file(READ ${RUNGROUP_SOURCE_DIR}/qmldir source_qmldir)
if(NOT EXISTS ${qml_module}/qmldir)
    fail("${qml_module}/qmldir is not installed")
endif()
file(READ ${qml_module}/qmldir installed_qmldir)
if(NOT installed_qmldir STREQUAL source_qmldir)
    fail("the installed qmldir is not the top-level qmldir")
endif()
set(plugin_file librungroupqmlplugin.so)
if(static)
    set(plugin_file librungroupqmlplugin.a)
endif()
foreach(file ${QML_TYPEINFO} ${plugin_file})
    if(NOT EXISTS ${qml_module}/${file})
        fail("${qml_module}/${file} is not installed")
    endif()
endforeach()
foreach(file rungroup_metatypes.json rungroupqml_metatypes.json)
    if(NOT EXISTS ${moved}/${LIBDIR}/metatypes/${file})
        fail("${LIBDIR}/metatypes/${file} is not installed")
    endif()
endforeach()
set(ENV{QT_QPA_PLATFORM} offscreen)
# Qt's QML engine runs threads of its own, inside uninstrumented Qt: the test suite's
# ThreadSanitizer options ignore those.
set(ENV{TSAN_OPTIONS} "${TSAN_OPTIONS}")
if(NOT static)
    if(SANITIZER_PRELOAD)
        # qmltestrunner is not instrumented; the sanitized plugin needs the runtime first.
        set(ENV{LD_PRELOAD} ${SANITIZER_PRELOAD})
        set(ENV{ASAN_OPTIONS} detect_leaks=0)
    endif()
    run_step("import RunGroup from ${qml_import_dir}"
        ${QMLTESTRUNNER} -import ${qml_import_dir}
            -input ${RUNGROUP_SOURCE_DIR}/tests/auto/qml/plugin)
    unset(ENV{LD_PRELOAD})
    unset(ENV{ASAN_OPTIONS})
endif()

# The consumer's module: Worker's prototype is ThreadActor, from the installed metatypes.
file(GLOB consumer_qmltypes ${consumer_build}/qml/Consumer/*.qmltypes)
if(NOT consumer_qmltypes)
    fail("the consumer's QML module has no .qmltypes in ${consumer_build}/qml/Consumer")
endif()
file(READ ${consumer_qmltypes} text)
if(NOT text MATCHES "name: \"Worker\"[^}]*prototype: \"ThreadActor\"")
    fail("${consumer_qmltypes} does not name ThreadActor as Worker's prototype:\n${text}")
endif()

# qmllint, as Qt Creator and qmlls see the consumer's QML: the installed import directory
# and the consumer's own module directory. Any warning fails.
if(QMLLINT)
    run_step("qmllint the consumer's Main.qml against ${qml_import_dir}"
        ${QMLLINT} -I ${qml_import_dir} -I ${consumer_build}/qml
            ${CONSUMER_SOURCE_DIR}/Main.qml)
    string(STRIP "${step_output}" lint_output)
    if(NOT lint_output STREQUAL "")
        fail("qmllint warned about the consumer's Main.qml:\n${lint_output}")
    endif()
    message(STATUS "${name}: qmllint: no warnings")
endif()

find_program(qmlapp NAMES qmlapp PATHS ${consumer_build} ${consumer_build}/${build_type}
             NO_DEFAULT_PATH REQUIRED)
set(qmlapp_args ${qml_import_dir})
if(static)
    # The static plugin brings the module's qmldir in its resources: no import path.
    set(qmlapp_args)
endif()
run_step("run the QML consumer" ${qmlapp} ${qmlapp_args})
if(NOT step_output MATCHES "qml consumer: Failure: worker: done")
    fail("the QML consumer printed\n${step_output}")
endif()
message(STATUS "${name}: qml consumer: Failure: worker: done")
