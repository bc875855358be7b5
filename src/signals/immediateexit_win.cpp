// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "immediateexit_p.h"

#include <cstdlib>
#include <qt_windows.h>

void ImmediateExit::exit(int code, const char *message, size_t length)
{
    // The console control handler runs on a thread of its own, not inside a signal: any
    // call is allowed, but the C runtime's stderr lock may be held by a stuck thread.
    DWORD written = 0;
    WriteFile(GetStdHandle(STD_ERROR_HANDLE), message, DWORD(length), &written, nullptr);
    std::_Exit(code);
}
