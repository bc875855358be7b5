// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include <RunGroup/actorthreads.h>
#include <RunGroup/rungroup.h>

#include "logging_p.h"
#include "threadpool_p.h"

namespace {
// Both settings take 0 or more. function names the caller in the warning, so that the
// 1.0 names (RunGroup::setIdleThreadLimit()...) warn as they always did.
bool notNegative(int value, const char *function, const char *what)
{
    if (value >= 0)
        return true;
    qCWarning(lcThreads, "%s: The %s must not be negative", function, what);
    return false;
}
} // namespace

int ActorThreads::idleLimit()
{
    return ActorThreadPool::idleLimit();
}

void ActorThreads::setIdleLimit(int count)
{
    if (notNegative(count, "ActorThreads::setIdleLimit", "limit"))
        ActorThreadPool::setIdleLimit(count);
}

int ActorThreads::idleExpiry()
{
    return ActorThreadPool::idleExpiry();
}

void ActorThreads::setIdleExpiry(int ms)
{
    if (notNegative(ms, "ActorThreads::setIdleExpiry", "expiry"))
        ActorThreadPool::setIdleExpiry(ms);
}

int ActorThreads::idleCount()
{
    return ActorThreadPool::idleCount();
}

// The 1.0 names, exported as they were.
int RunGroup::idleThreadLimit()
{
    return ActorThreadPool::idleLimit();
}

int RunGroup::idleThreadExpiry()
{
    return ActorThreadPool::idleExpiry();
}

int RunGroup::idleThreadCount()
{
    return ActorThreadPool::idleCount();
}

void RunGroup::setIdleThreadLimit(int count)
{
    if (notNegative(count, "RunGroup::setIdleThreadLimit", "limit"))
        ActorThreadPool::setIdleLimit(count);
}

void RunGroup::setIdleThreadExpiry(int ms)
{
    if (notNegative(ms, "RunGroup::setIdleThreadExpiry", "expiry"))
        ActorThreadPool::setIdleExpiry(ms);
}
