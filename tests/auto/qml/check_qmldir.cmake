# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT

# cmake -P script behind the CTest test "qmldir": the repository's top-level qmldir is the
# RunGroup module's real qmldir. It checks that
#   1. it has exactly the directives the build produces: module RunGroup, the plugin
#      target's file name, the plugin's class name, the generated .qmltypes, depends
#   2. the build tree's module directory holds a byte-identical copy, the plugin and the
#      .qmltypes file, which exports every QML type of the module
#   3. the plugin binary's metadata names the class that the classname line names
cmake_minimum_required(VERSION 3.21)

foreach(var QMLDIR MODULE_DIR PLUGIN_FILE CLASS_NAME TYPEINFO)
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
        message(FATAL_ERROR "check_qmldir.cmake: -D${var}=... is required")
    endif()
endforeach()

function(fail what)
    message(FATAL_ERROR "qmldir: ${what}")
endfunction()

# 1. The directives, comments and blank lines aside.
file(STRINGS ${QMLDIR} lines)
set(directives)
foreach(line IN LISTS lines)
    string(STRIP "${line}" line)
    if(line STREQUAL "" OR line MATCHES "^#")
        continue()
    endif()
    string(REGEX REPLACE "[ \t]+" " " line "${line}")
    list(APPEND directives "${line}")
endforeach()
get_filename_component(plugin_name ${PLUGIN_FILE} NAME_WE)
string(REGEX REPLACE "^lib" "" plugin_name "${plugin_name}")
set(expected
    "module RunGroup"
    "optional plugin ${plugin_name}"
    "classname ${CLASS_NAME}"
    "typeinfo ${TYPEINFO}"
    "depends QtQml")
if(NOT directives STREQUAL expected)
    string(REPLACE ";" "\n  " have "${directives}")
    string(REPLACE ";" "\n  " want "${expected}")
    fail("${QMLDIR} has\n  ${have}\ninstead of\n  ${want}")
endif()

# 2. The build tree's module directory.
file(READ ${QMLDIR} source_text)
if(NOT EXISTS ${MODULE_DIR}/qmldir)
    fail("${MODULE_DIR}/qmldir is missing")
endif()
file(READ ${MODULE_DIR}/qmldir build_text)
if(NOT source_text STREQUAL build_text)
    fail("${MODULE_DIR}/qmldir differs from ${QMLDIR}: reconfigure")
endif()
get_filename_component(plugin_dir ${PLUGIN_FILE} DIRECTORY)
if(NOT plugin_dir STREQUAL MODULE_DIR)
    fail("the plugin ${PLUGIN_FILE} is not in ${MODULE_DIR}")
endif()
if(NOT EXISTS ${MODULE_DIR}/${TYPEINFO})
    fail("${MODULE_DIR}/${TYPEINFO} is missing")
endif()
file(READ ${MODULE_DIR}/${TYPEINFO} qmltypes)
foreach(export RunGroup Actor SignalActor RunError runError)
    string(FIND "${qmltypes}" "\"RunGroup/${export} 1.0\"" at)
    if(at EQUAL -1)
        fail("${TYPEINFO} does not export RunGroup/${export} 1.0")
    endif()
endforeach()

# 3. The class name is in the plugin's metadata.
file(STRINGS ${PLUGIN_FILE} names REGEX "${CLASS_NAME}")
if(NOT names)
    fail("${PLUGIN_FILE} has no plugin class ${CLASS_NAME}")
endif()
message(STATUS "qmldir: ${QMLDIR} is the module's qmldir (${plugin_name}, ${CLASS_NAME}, ${TYPEINFO})")
