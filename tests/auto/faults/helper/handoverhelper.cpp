// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// HandOver::post() from another thread to a QObject and to a RunGroup, delivered and
// dropped, with the receiving thread delivering the events itself after a relaxed wait
// (nothing else orders the two threads). The tsan preset runs it with ThreadSanitizer
// checking the allocations Qt makes for the post too (no ignore_noninstrumented_modules):
// exit code 66 on any report. Found by the soak: an annotation on the functor alone left
// the event Qt allocates unordered. Exit code 1 if a call was lost or ran when dropped.

#include <RunGroup/HandOver>
#include <RunGroup/RunGroup>

#include <QtCore/QCoreApplication>

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>

namespace {
bool handOver(bool toGroup, bool dropped)
{
    QObject *context = toGroup ? new RunGroup : new QObject;
    std::atomic<bool> posted{false};
    std::atomic<int> called{0};
    std::thread poster([&] {
        const std::string payload(100, 'x');
        HandOver::post(context, [&called, payload] {
            if (payload.size() == 100)
                called.fetch_add(1, std::memory_order_relaxed);
        });
        posted.store(true, std::memory_order_relaxed);
    });
    while (!posted.load(std::memory_order_relaxed))
        std::this_thread::yield();
    if (dropped)
        delete context; // destroys the queued call unread
    else
        QCoreApplication::sendPostedEvents(context);
    poster.join();
    if (!dropped)
        delete context;
    return called.load() == (dropped ? 0 : 1);
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    bool ok = true;
    for (bool toGroup : {false, true}) {
        for (bool dropped : {false, true}) {
            const bool done = handOver(toGroup, dropped);
            std::printf("%s, %s: %s\n", toGroup ? "group" : "object",
                        dropped ? "dropped" : "delivered", done ? "ok" : "WRONG");
            ok = ok && done;
        }
    }
    return ok ? 0 : 1;
}
