# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT

# cmake -P script behind the CTest tests "qml-example-*": runs EXAMPLE with ARGS (a
# command line) and checks its exit code (EXPECT_CODE) and that its output matches EXPECT_OUTPUT.
cmake_minimum_required(VERSION 3.21)
separate_arguments(args UNIX_COMMAND "${ARGS}")
execute_process(COMMAND ${EXAMPLE} ${args}
    RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE out TIMEOUT 300)
if(NOT code STREQUAL EXPECT_CODE)
    message(FATAL_ERROR "${EXAMPLE} ${ARGS} exited with ${code}, not ${EXPECT_CODE}:\n${out}")
endif()
if(NOT out MATCHES "${EXPECT_OUTPUT}")
    message(FATAL_ERROR "${EXAMPLE} ${ARGS}: no match for \"${EXPECT_OUTPUT}\" in:\n${out}")
endif()
message(STATUS "${out}")
