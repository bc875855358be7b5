// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include <RunGroup/actorthreads.h>
#include <RunGroup/rungroup.h>

#include "logging_p.h"
#include "threadpool_p.h"

namespace {
// function names the caller in the warning: the 1.0 names warn as they always did.
void setIdleLimit(int count, const char *function)
{
    if (count < 0) {
        qCWarning(lcThreads, "%s: The limit must not be negative", function);
        return;
    }
    ActorThreadPool::setIdleLimit(count);
}

void setIdleExpiry(int ms, const char *function)
{
    if (ms < 0) {
        qCWarning(lcThreads, "%s: The expiry must not be negative", function);
        return;
    }
    ActorThreadPool::setIdleExpiry(ms);
}
} // namespace

int ActorThreads::idleLimit()
{
    return ActorThreadPool::idleLimit();
}

void ActorThreads::setIdleLimit(int count)
{
    ::setIdleLimit(count, "ActorThreads::setIdleLimit");
}

int ActorThreads::idleExpiry()
{
    return ActorThreadPool::idleExpiry();
}

void ActorThreads::setIdleExpiry(int ms)
{
    ::setIdleExpiry(ms, "ActorThreads::setIdleExpiry");
}

int ActorThreads::idleCount()
{
    return ActorThreadPool::idleCount();
}

// The 1.0 names, exported as they were.
int RunGroup::idleThreadLimit()
{
    return ActorThreads::idleLimit();
}

void RunGroup::setIdleThreadLimit(int count)
{
    ::setIdleLimit(count, "RunGroup::setIdleThreadLimit");
}

int RunGroup::idleThreadExpiry()
{
    return ActorThreads::idleExpiry();
}

void RunGroup::setIdleThreadExpiry(int ms)
{
    ::setIdleExpiry(ms, "RunGroup::setIdleThreadExpiry");
}

int RunGroup::idleThreadCount()
{
    return ActorThreads::idleCount();
}
