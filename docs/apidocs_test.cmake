# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT

# CTest "apidocs" (docs/CMakeLists.txt): runs Doxygen over the public headers with
# WARN_AS_ERROR = FAIL_ON_WARNINGS, so an undocumented public class, member, enum value,
# signal, property or free function, or a broken reference, fails the test. Then builds
# the .qch (when qhelpgenerator was found) and checks it, and prints how many public
# symbols the reference documents (from Doxygen's XML output).
# -DDOXYGEN=<doxygen> -DDOXYFILE=<Doxyfile.apidocs> -DCHECK_DIR=<its output dir>
# [-DQHELPGENERATOR=<qhelpgenerator>]
cmake_minimum_required(VERSION 3.21)

foreach(var DOXYGEN DOXYFILE CHECK_DIR)
    if(NOT ${var})
        message(FATAL_ERROR "apidocs: ${var} is not set")
    endif()
endforeach()

# A fresh output directory: nothing of an earlier run can make this one pass.
file(REMOVE_RECURSE ${CHECK_DIR})
file(MAKE_DIRECTORY ${CHECK_DIR})

execute_process(COMMAND ${DOXYGEN} ${DOXYFILE}
    WORKING_DIRECTORY ${CHECK_DIR}
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE errors)
if(output)
    message("${output}")
endif()
# Doxygen's warnings go to stderr, one "<file>:<line>: warning: ..." per line.
string(REGEX MATCHALL "(warning|error): [^\n]*" warnings "${errors}")
list(LENGTH warnings warningCount)
if(errors)
    message("${errors}")
endif()
if(NOT result EQUAL 0 OR warningCount GREATER 0)
    message(FATAL_ERROR "apidocs: Doxygen exited with ${result} and ${warningCount} warnings "
                        "(every public symbol needs a //! comment; see docs/api.md)")
endif()

# The .qch, built as target docs builds it; then Qt Creator's F1 must find a class and a
# member by the identifiers it looks up.
if(QHELPGENERATOR)
    execute_process(COMMAND ${CMAKE_COMMAND} -DQHP=${CHECK_DIR}/html/index.qhp
        -DQCH=${CHECK_DIR}/RunGroup.qch -DQHELPGENERATOR=${QHELPGENERATOR}
        -P ${CMAKE_CURRENT_LIST_DIR}/qch.cmake
        RESULT_VARIABLE result)
    if(NOT result EQUAL 0 OR NOT EXISTS ${CHECK_DIR}/RunGroup.qch)
        message(FATAL_ERROR "apidocs: no ${CHECK_DIR}/RunGroup.qch")
    endif()
    file(READ ${CHECK_DIR}/html/index.qhp qhp)
    foreach(id RunGroup RunGroup::start RunError::isError HandOver::post)
        if(NOT qhp MATCHES " id=\"${id}\" ref=\"")
            message(FATAL_ERROR "apidocs: index.qhp has no keyword with id \"${id}\"")
        endif()
    endforeach()
else()
    message(STATUS "apidocs: no qhelpgenerator, no .qch to check")
endif()

# Count what the reference documents, from the XML of each class and namespace (std is
# Doxygen's own): every public or protected member and enum value. With zero warnings,
# each of them is documented; private members (d_ptr, friends) are not in the reference.
file(GLOB compoundFiles ${CHECK_DIR}/xml/class*.xml ${CHECK_DIR}/xml/struct*.xml
    ${CHECK_DIR}/xml/namespace*.xml)
list(FILTER compoundFiles EXCLUDE REGEX "/namespacestd[._]")
list(LENGTH compoundFiles compoundCount)
set(ids "")
set(kinds "")
foreach(compoundFile IN LISTS compoundFiles)
    file(READ ${compoundFile} xml)
    string(REGEX MATCHALL "<memberdef kind=\"[a-z]+\" id=\"[^\"]+\" prot=\"(public|protected)\""
        defs "${xml}")
    string(REGEX MATCHALL "<enumvalue id=\"[^\"]+\" prot=\"(public|protected)\"" values "${xml}")
    foreach(def IN LISTS defs values)
        string(REGEX REPLACE ".* id=\"([^\"]+)\".*" "\\1" id "${def}")
        if(id IN_LIST ids)
            continue()
        endif()
        list(APPEND ids ${id})
        if(def MATCHES "kind=\"([a-z]+)\"")
            list(APPEND kinds ${CMAKE_MATCH_1})
        else()
            list(APPEND kinds enumvalue)
        endif()
    endforeach()
endforeach()
list(LENGTH ids memberCount)
set(summary "")
set(distinctKinds ${kinds})
list(REMOVE_DUPLICATES distinctKinds)
foreach(kind IN LISTS distinctKinds)
    set(n 0)
    foreach(k IN LISTS kinds)
        if(k STREQUAL kind)
            math(EXPR n "${n} + 1")
        endif()
    endforeach()
    string(APPEND summary ", ${n} ${kind}")
endforeach()
math(EXPR total "${compoundCount} + ${memberCount}")
message(STATUS "apidocs: 0 warnings; ${total} public symbols documented: ${compoundCount} "
               "classes and namespaces, ${memberCount} members${summary}")
