// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Win32 threads (MSVC and MinGW alike): see nativethread_p.h.

#include "nativethread_p.h"

#include <cerrno>
#include <climits>
#include <cwchar>
#include <process.h>
#include <qt_windows.h>

namespace {
struct Start
{
    NativeThread::Entry entry;
    void *arg;
};

unsigned __stdcall threadMain(void *start)
{
    const Start s = *static_cast<Start *>(start);
    delete static_cast<Start *>(start);
    s.entry(s.arg);
    return 0;
}

// SetThreadDescription() is Windows 10 1607 and later (and Wine 5 and later): looked up
// once, so the library still loads on a system without it.
using SetThreadDescriptionFunction = HRESULT(WINAPI *)(HANDLE, PCWSTR);
SetThreadDescriptionFunction setThreadDescription()
{
    static const auto function =
        reinterpret_cast<SetThreadDescriptionFunction>(reinterpret_cast<void *>(
            GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "SetThreadDescription")));
    return function;
}
} // namespace

int NativeThread::startDetached(Entry entry, void *arg, size_t stackSize)
{
    if (stackSize > UINT_MAX)
        return EINVAL;
    auto *start = new Start{entry, arg};
    errno = 0;
    // The C runtime's thread start (not CreateThread), so the runtime's per-thread data is
    // set up and freed. A reservation, as a pthread stack size is the whole stack.
    const uintptr_t handle =
        _beginthreadex(nullptr, unsigned(stackSize), threadMain, start,
                       stackSize > 0 ? STACK_SIZE_PARAM_IS_A_RESERVATION : 0, nullptr);
    if (handle == 0) {
        const int error = errno != 0 ? errno : EAGAIN;
        delete start;
        return error;
    }
    // Nobody joins a pool thread: closing the handle now is Windows' detach. The thread
    // runs on, and the system frees it when it ends.
    CloseHandle(reinterpret_cast<HANDLE>(handle));
    return 0;
}

void NativeThread::setCurrentName(const QString &name)
{
    // Trivially destructible on purpose: a thread_local with a destructor (a QString) ran
    // it at thread exit from MinGW's TLS callback, and threads ending together crashed in
    // ntdll under Wine (tst_nativethreads::parkedThreadsHoldNoHandle).
    constexpr int kLength = 63;
    thread_local wchar_t current[kLength + 1] = {};
    const QString wanted = (name.isEmpty() ? QStringLiteral("rungroup") : name).left(kLength);
    wchar_t buffer[kLength + 1] = {};
    wanted.toWCharArray(buffer);
    if (std::wcscmp(current, buffer) == 0)
        return;
    std::wcscpy(current, buffer);
    if (const SetThreadDescriptionFunction describe = setThreadDescription())
        describe(GetCurrentThread(), current);
}

size_t NativeThread::minimumStackSize()
{
    // Windows reserves at least one allocation granule (64 KiB) for a stack anyway.
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    return size_t(info.dwAllocationGranularity);
}

size_t NativeThread::stackSizeUnit()
{
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    return size_t(info.dwPageSize);
}
