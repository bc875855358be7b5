# SPDX-FileCopyrightText: 2026 The RunGroup authors
# SPDX-License-Identifier: MIT
# Applies RUNGROUP_SANITIZE to every target of this build (library, tests, examples).
if(RUNGROUP_SANITIZE STREQUAL "address")
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                        -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
elseif(RUNGROUP_SANITIZE STREQUAL "thread")
    add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
    add_link_options(-fsanitize=thread)
elseif(NOT RUNGROUP_SANITIZE STREQUAL "")
    message(FATAL_ERROR "RUNGROUP_SANITIZE must be empty, 'address' or 'thread'")
endif()
add_feature_info(Sanitizers "NOT RUNGROUP_SANITIZE STREQUAL \"\"" "built with -fsanitize (${RUNGROUP_SANITIZE})")
