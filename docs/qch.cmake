# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT

# Turns the Qt help project Doxygen wrote (html/index.qhp) into RunGroup.qch, as target docs
# and test apidocs do (docs/CMakeLists.txt).
# -DQHP=<html/index.qhp> -DQCH=<output .qch> -DQHELPGENERATOR=<qhelpgenerator>
#
# First it gives each index keyword the identifier Qt Creator's context help (F1) looks up:
# "RunGroup" for a class, "RunGroup::start" for a member, as Qt's own .qch files have.
# Doxygen 1.9.4 appends the HTML anchor ("RunGroup_", "RunGroup::start_a3f…", to tell
# overloads apart), which F1 never finds. As in Qt's files, the first of a set of overloads
# has the plain identifier.
cmake_minimum_required(VERSION 3.21)

foreach(var QHP QCH QHELPGENERATOR)
    if(NOT ${var})
        message(FATAL_ERROR "qch: ${var} is not set")
    endif()
endforeach()

file(READ ${QHP} qhp)
# Line by line, as a CMake list: keep the list separators that are text.
string(REPLACE ";" "@rg_semicolon@" qhp "${qhp}")
string(REPLACE "[" "@rg_lbracket@" qhp "${qhp}")
string(REPLACE "]" "@rg_rbracket@" qhp "${qhp}")
string(REPLACE "\n" ";" lines "${qhp}")
set(ids "")
set(out "")
foreach(line IN LISTS lines)
    # <keyword name="start()" id="RunGroup::start_a3f…" ref="classRunGroup.html#a3f…"/>
    # <keyword name="RunGroup" id="RunGroup_" ref="classRunGroup.html"/>
    # Doxygen's anchors are hexadecimal digests. qhelpgenerator keeps only the first
    # keyword of an identifier: the other overloads keep theirs, to stay in the index.
    if(line MATCHES "^(.*<keyword [^>]* id=\")([^\"]*)_[0-9a-f]*(\" ref=\".*)$")
        set(id "${CMAKE_MATCH_2}")
        if(NOT id IN_LIST ids)
            list(APPEND ids "${id}")
            set(line "${CMAKE_MATCH_1}${id}${CMAKE_MATCH_3}")
        endif()
    endif()
    string(APPEND out "${line}\n")
endforeach()
list(LENGTH ids fixed)
string(REPLACE "@rg_semicolon@" ";" out "${out}")
string(REPLACE "@rg_lbracket@" "[" out "${out}")
string(REPLACE "@rg_rbracket@" "]" out "${out}")
file(WRITE ${QHP} "${out}")

get_filename_component(htmlDir ${QHP} DIRECTORY)
execute_process(COMMAND ${QHELPGENERATOR} -s ${QHP} -o ${QCH}
    WORKING_DIRECTORY ${htmlDir}
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE errors)
# Qt's "XDG_RUNTIME_DIR not set" note is no failure; anything else qhelpgenerator says is.
string(REGEX REPLACE "QStandardPaths: XDG_RUNTIME_DIR not set[^\n]*\n?" "" errors "${errors}")
if(NOT result EQUAL 0 OR NOT EXISTS ${QCH} OR output OR errors)
    message(FATAL_ERROR "qch: qhelpgenerator failed (${result}) on ${QHP}:\n${output}${errors}")
endif()
message(STATUS "qch: ${QCH} (${fixed} index keywords with Qt Creator identifiers)")
