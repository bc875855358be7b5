// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "threadpool_p.h"

#include "nativethread_p.h"
#include "qthreadflag_p.h"
#include "threadstart_p.h"

#include <QtCore/QThread>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace {
struct Worker;

// The parked threads one LaunchBatch woke, in launch order: worker i wakes workers 2i + 1 and
// 2i + 2. Complete before any of them is handed its job.
struct WakeTree
{
    std::vector<Worker *> workers;
};

// One pool thread. The thread owns it and deletes it when it ends.
struct Worker
{
    std::mutex mutex;
    std::condition_variable wake;
    PoolJob *job = nullptr; // guarded by mutex; set: a job is waiting
    bool retire = false;    // guarded by mutex: end instead of running a job
    // The launch() and setIdleLimit() calls that handed this thread a job or its retirement
    // and have not returned from notifying it: they notify after unlocking, so that the
    // thread they wake does not wake only to wait for their lock, and the thread does not
    // delete this Worker before the count is back to 0. (A count, not a flag: a thread
    // may run one job and be handed the next before the first launch() is done.)
    std::atomic<int> handing{0};
    // Guarded by mutex, set with job by a LaunchBatch: the threads this one wakes first.
    std::shared_ptr<const WakeTree> tree;
    size_t treeIndex = 0;
    // Written and read by the thread only. Keeps the QThread that Qt adopted for this
    // thread (and with it Qt's per-thread data) reachable from the pool, a global, while
    // the thread lives, as it is: Qt frees them only when the thread ends, and parked
    // threads outlive main(). Without it a leak checker at exit finds them through the
    // threads' TLS only, which LeakSanitizer missed for a few threads at the end of long
    // fuzz runs (issue 21).
    QThread *adopted = nullptr;

    // Guarded by the pool's mutex.
    Worker *next = nullptr; // in its idle list while parked
    Worker *prev = nullptr;
    bool parked = false;
    size_t stackSize = 0;
};

// Parked threads of one stack size, most recently parked first: reusing the thread that
// ran last finds its stack still in cache, and the least recently used ones expire.
struct IdleList
{
    size_t stackSize = 0;
    Worker *head = nullptr;
};

struct Pool
{
    std::mutex mutex;
    // Everything below is guarded by mutex.
    std::vector<IdleList> lists; // one per stack size in use: a handful at most
    int idle = 0;
    int limit = 1024;
    std::chrono::milliseconds expiry{30000};
    bool exiting = false;
    // idle >= limit && !exiting, written with them: read without the mutex by park(), so that
    // the threads of a 10,000-actor run that will not be kept (all but idleLimit()) end
    // without queueing on it.
    std::atomic<bool> full{false};

    void update() { full.store(idle >= limit && !exiting, std::memory_order_relaxed); }
};

// Never destroyed: parked threads wait on it until the process ends.
Pool &pool()
{
    static Pool *const instance = new Pool;
    // Once static destruction begins, parked threads stop expiring: a thread that ended
    // then would run Qt's thread-exit cleanup while Qt's own statics are being destroyed.
    static struct ExitGuard
    {
        ~ExitGuard()
        {
            std::lock_guard<std::mutex> lock(instance->mutex);
            instance->exiting = true;
            instance->update();
        }
    } exitGuard;
    return *instance;
}

IdleList &idleList(Pool &p, size_t stackSize)
{
    for (IdleList &list : p.lists) {
        if (list.stackSize == stackSize)
            return list;
    }
    p.lists.push_back(IdleList{stackSize, nullptr});
    return p.lists.back();
}

void unlink(Pool &p, Worker *w)
{
    IdleList &list = idleList(p, w->stackSize);
    if (w->prev)
        w->prev->next = w->next;
    else
        list.head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    w->next = w->prev = nullptr;
    w->parked = false;
    --p.idle;
    p.update();
}

// Gives w a job (with its place in a wake tree, if any), or its retirement (job null),
// without waking it; w stays alive until wake(w).
void give(Worker *w, PoolJob *job, std::shared_ptr<const WakeTree> tree = {}, size_t index = 0)
{
    std::lock_guard<std::mutex> lock(w->mutex);
    if (job)
        w->job = job;
    else
        w->retire = true;
    w->tree = std::move(tree);
    w->treeIndex = index;
    w->handing.fetch_add(1, std::memory_order_relaxed); // published by the unlock
}

void wake(Worker *w);

// Hands w a job, or its retirement (job null), and wakes it.
void hand(Worker *w, PoolJob *job)
{
    give(w, job);
    wake(w);
}

// Wakes w, handed a job or its retirement with handing raised: w may be gone after this.
void wake(Worker *w)
{
    w->wake.notify_one();
    w->handing.fetch_sub(1, std::memory_order_release);
}

// A job this thread took came with a wake tree: its children are woken before it runs (they
// were handed their jobs already; one that took its job early gets a spurious wake-up).
void wakeChildren(const WakeTree &tree, size_t index)
{
    for (size_t child = 2 * index + 1; child <= 2 * index + 2 && child < tree.workers.size();
         ++child)
        wake(tree.workers[child]);
}

// A LaunchBatch of this thread: the parked threads it took, and their jobs.
struct PendingLaunches
{
    std::vector<Worker *> workers;
    std::vector<PoolJob *> jobs;
    int depth = 0;
};
thread_local PendingLaunches *t_batch = nullptr;

// The thread's last use of w: once whoever handed it its last job has let go of it.
void destroy(Worker *w)
{
    while (w->handing.load(std::memory_order_acquire) != 0)
        std::this_thread::yield(); // a notify_one() in progress: a few instructions away
    delete w;
}

// Whether the calling thread can run another actor as if it were new.
bool threadIsClean()
{
    QThread *self = QThread::currentThread();
    // An actor that spun an event loop left a dispatcher (and its eventfd) behind:
    // parked threads must hold no file descriptor.
    if (self->eventDispatcher())
        return false;
    return !self->isInterruptionRequested() || clearCurrentThreadInterruption();
}

// Parks w after its job; returns false when the thread should end instead.
bool park(Worker *w, std::chrono::milliseconds *expiry)
{
    const bool clean = threadIsClean();
    Pool &p = pool();
    if (!clean || p.full.load(std::memory_order_relaxed))
        return false; // (the mutex confirms a "not full")
    std::lock_guard<std::mutex> lock(p.mutex);
    if (p.idle >= p.limit && !p.exiting)
        return false;
    IdleList &list = idleList(p, w->stackSize);
    w->next = list.head;
    if (list.head)
        list.head->prev = w;
    list.head = w;
    w->parked = true;
    ++p.idle;
    p.update();
    *expiry = p.exiting ? std::chrono::milliseconds::max() : p.expiry;
    return true;
}

// Called when a parked thread's wait expired: returns true if it left the pool (and
// should end), false if a launch() took it meanwhile and a job is on its way.
bool expire(Worker *w)
{
    Pool &p = pool();
    std::lock_guard<std::mutex> lock(p.mutex);
    if (!w->parked || p.exiting)
        return false;
    unlink(p, w);
    return true;
}

void workerMain(void *arg)
{
    auto *w = static_cast<Worker *>(arg);
    std::chrono::milliseconds expiry{0};
    for (;;) {
        PoolJob *job = nullptr;
        std::shared_ptr<const WakeTree> tree;
        size_t treeIndex = 0;
        {
            std::unique_lock<std::mutex> lock(w->mutex);
            if (!w->job && expiry != std::chrono::milliseconds::max()
                && !w->wake.wait_for(lock, expiry, [w] { return w->job || w->retire; })) {
                lock.unlock();
                if (expire(w)) {
                    destroy(w);
                    return;
                }
                lock.lock();
            }
            w->wake.wait(lock, [w] { return w->job || w->retire; });
            if (w->retire) {
                lock.unlock();
                destroy(w);
                return;
            }
            job = std::exchange(w->job, nullptr);
            tree = std::move(w->tree);
            treeIndex = w->treeIndex;
        }
        if (tree) {
            wakeChildren(*tree, treeIndex);
            tree.reset();
        }
        job->run();
        if (!w->adopted)
            w->adopted = QThread::currentThread();
        // Parked before done(): a job launched as soon as done() reported this one finds
        // the thread ready (a job handed over meanwhile waits in w->job).
        const bool parked = park(w, &expiry);
        job->done(); // the last use of job: it may be gone once done() returns
        if (!parked) {
            destroy(w);
            return;
        }
    }
}

int createThread(Worker *w)
{
    if (const int injected = ThreadStart::injectedFailure())
        return injected;
    // Nobody joins a pool thread: finished() waits for execute to return, not for the
    // OS thread to end, and a parked thread ends on its own.
    return NativeThread::startDetached(workerMain, w, w->stackSize);
}

} // namespace

int ActorThreadPool::launch(PoolJob *job, size_t stackSize)
{
    Pool &p = pool();
    Worker *w = nullptr;
    {
        std::lock_guard<std::mutex> lock(p.mutex);
        IdleList &list = idleList(p, stackSize);
        if (list.head) {
            w = list.head;
            unlink(p, w);
        }
    }
    if (w && t_batch) {
        t_batch->workers.push_back(w);
        t_batch->jobs.push_back(job);
        return 0;
    }
    if (w) {
        hand(w, job);
        return 0;
    }
    w = new Worker;
    w->stackSize = stackSize;
    w->job = job;
    const int result = createThread(w);
    if (result != 0)
        delete w;
    return result;
}

ActorThreadPool::LaunchBatch::LaunchBatch()
{
    if (!t_batch)
        t_batch = new PendingLaunches;
    ++t_batch->depth;
}

ActorThreadPool::LaunchBatch::~LaunchBatch()
{
    if (--t_batch->depth > 0)
        return;
    const std::unique_ptr<PendingLaunches> batch(std::exchange(t_batch, nullptr));
    if (batch->workers.empty())
        return;
    // Every thread gets its job and its place in the tree before any is woken: a thread that
    // finds its job before its parent wakes it still wakes its own children.
    auto tree = std::make_shared<WakeTree>();
    tree->workers = std::move(batch->workers);
    const std::shared_ptr<const WakeTree> shared = tree;
    for (size_t i = 0; i < shared->workers.size(); ++i)
        give(shared->workers[i], batch->jobs[i], shared, i);
    wake(shared->workers[0]);
}

void ActorThreadPool::setIdleLimit(int count)
{
    Pool &p = pool();
    std::vector<Worker *> surplus;
    {
        std::lock_guard<std::mutex> lock(p.mutex);
        p.limit = count;
        p.update();
        // The least recently parked go first; they end as soon as they see no job.
        for (IdleList &list : p.lists) {
            Worker *last = list.head;
            while (last && last->next)
                last = last->next;
            while (last && p.idle > p.limit) {
                Worker *prev = last->prev;
                unlink(p, last);
                surplus.push_back(last);
                last = prev;
            }
        }
    }
    for (Worker *w : surplus)
        hand(w, nullptr);
}

int ActorThreadPool::idleLimit()
{
    Pool &p = pool();
    std::lock_guard<std::mutex> lock(p.mutex);
    return p.limit;
}

void ActorThreadPool::setIdleExpiry(int ms)
{
    Pool &p = pool();
    std::lock_guard<std::mutex> lock(p.mutex);
    p.expiry = std::chrono::milliseconds(ms);
}

int ActorThreadPool::idleExpiry()
{
    Pool &p = pool();
    std::lock_guard<std::mutex> lock(p.mutex);
    return int(p.expiry.count());
}

int ActorThreadPool::idleCount()
{
    Pool &p = pool();
    std::lock_guard<std::mutex> lock(p.mutex);
    return p.idle;
}
