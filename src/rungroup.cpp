// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "logging_p.h"
#include "rungroup_p.h"

#include "runobserver_p.h"
#include "shutdownwatchdog_p.h"
#include "signalhandler_p.h"
#include "threadpool_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QEvent>
#include <QtCore/QEventLoop>
#include <QtCore/QScopeGuard>
#include <QtCore/QThread>
#include <QtCore/QTimerEvent>

#include <cstring>
#include <exception>

#include <algorithm>
#include <climits>
#include <iterator>

#include <pthread.h>
#include <unistd.h>

namespace {
// Qt's event queue synchronises poster and receiver through its own futex-based mutex,
// which ThreadSanitizer cannot see when Qt is not instrumented. Everything we hand over
// through that queue (our events, queued functors) is built while holding this mutex and
// read after taking it, so the hand-over is visible to the tools as well. Never held
// while user code runs. Recursive: Qt may drop a queued call (destroying its arguments,
// which take this lock) inside the post that holds it.
std::recursive_mutex g_handoff;

// The receiving side of a hand-over through Qt's queue: synchronises with the poster.
void acquireHandoff()
{
    std::lock_guard<std::recursive_mutex> lock(g_handoff);
}

// A slot functor for a connection whose sender lives on another thread, built on the
// group's thread while the hand-over lock is held: Qt destroys it on the sender's thread
// when the sender dies there, or when a disconnect lands while that thread emits.
template <typename F>
class HandedOverSlot
{
public:
    explicit HandedOverSlot(F f) : m_f(std::move(f)) { }
    HandedOverSlot(const HandedOverSlot &) = default;
    HandedOverSlot(HandedOverSlot &&) noexcept = default;
    HandedOverSlot &operator=(const HandedOverSlot &) = delete;
    HandedOverSlot &operator=(HandedOverSlot &&) = delete;
    ~HandedOverSlot() { acquireHandoff(); }
    template <typename... Args>
    auto operator()(Args &&...args) const -> decltype(std::declval<const F &>()(args...))
    {
        return m_f(std::forward<Args>(args)...);
    }

private:
    F m_f;
};

// Posted by actor threads and by settled interrupts; the group then looks at RunShared.
const QEvent::Type WakeEvent = QEvent::Type(QEvent::registerEventType());

// Counts one queued interrupt from the moment it is posted until its functor is destroyed,
// which happens after it ran or when its context died and Qt dropped it.
class InterruptTicket
{
public:
    explicit InterruptTicket(std::shared_ptr<RunShared> shared) : m_shared(std::move(shared))
    {
        std::lock_guard<std::mutex> lock(m_shared->mutex);
        ++m_shared->pendingInterrupts;
    }
    ~InterruptTicket()
    {
        std::lock_guard<std::mutex> lock(m_shared->mutex);
        if (--m_shared->pendingInterrupts == 0)
            m_shared->wakeLocked();
    }
    Q_DISABLE_COPY_MOVE(InterruptTicket)

    RunShared *shared() const { return m_shared.get(); }

private:
    std::shared_ptr<RunShared> m_shared;
};

// The runs whose interrupts are being called on this thread, innermost last. An interrupt
// that destroys its group waits in ~RunGroup for every interrupt to settle but its own,
// which cannot until it returns.
thread_local std::vector<const RunShared *> t_interrupting;

int interruptsInProgressHere(const RunShared *shared)
{
    return int(std::count(t_interrupting.begin(), t_interrupting.end(), shared));
}

void setNativeThreadName(const QString &name)
{
#ifdef Q_OS_LINUX
    // The kernel keeps 15 bytes; debuggers and top show it. A reused thread renames
    // itself only when its new actor's name differs from the last one's.
    thread_local char current[16] = {};
    const QByteArray wanted =
        name.isEmpty() ? QByteArrayLiteral("rungroup") : name.toLocal8Bit().left(15);
    if (std::strcmp(current, wanted.constData()) == 0)
        return;
    std::strcpy(current, wanted.constData());
    pthread_setname_np(pthread_self(), current);
#else
    Q_UNUSED(name);
#endif
}
} // namespace

// Body of every threaded actor, on a pool thread. Touches only the job and RunShared, so
// it stays safe after a shutdown timeout even when the group is gone.
RunError executeActorJob(ActorJob &job)
{
    // A thread Qt adopted: its QThread object has no event dispatcher.
    QThread *self = QThread::currentThread();
    if (self->objectName() != job.name)
        self->setObjectName(job.name);
    setNativeThreadName(job.name);
    RunShared &shared = *job.shared;
    const size_t index = size_t(job.index);
    {
        std::lock_guard<std::mutex> lock(shared.mutex);
        // The run already finished: a shutdown timeout gave up on this actor before its
        // thread even got to run it. Starting execute now, after finished() and perhaps
        // after the group is gone, would only surprise the caller; its exit is dropped.
        if (!shared.receiver) {
            job.execute.reset();
            return RunError::canceled();
        }
        shared.threads[index] = self;
        if (shared.interruptRequested[index])
            self->requestInterruption();
    }
    RunError error;
    try {
        error = (*job.execute)();
    } catch (...) {
        error = RunError::fromException(std::current_exception());
    }
    // What execute held is released before the group hears of the exit (if the group
    // is gone, the callable itself is destroyed here).
    job.execute.reset();
    std::lock_guard<std::mutex> lock(shared.mutex);
    // After this, the group never calls requestInterruption() on self.
    shared.threads[index] = nullptr;
    return error;
}

void reportActorExit(ActorJob &job, RunError &&error)
{
    {
        RunShared &shared = *job.shared;
        std::lock_guard<std::mutex> lock(shared.mutex);
        if (shared.receiver) {
            shared.exits.emplace_back(job.index, std::move(error));
            shared.wakeLocked();
        }
    }
    job.shared.reset();
}

void RunShared::wakeLocked()
{
    woken.notify_all();
    if (receiver && !wakePending) {
        wakePending = true;
        std::lock_guard<std::recursive_mutex> handoff(g_handoff);
        QCoreApplication::postEvent(receiver, new QEvent(WakeEvent));
    }
}

// ---------------------------------------------------------------------------------------
// Adding actors

bool RunGroupPrivate::checkThread(const char *function) const
{
    Q_Q(const RunGroup);
    if (QThread::currentThread() == q->thread())
        return true;
    qCWarning(lcCore, "RunGroup::%s: Must be called from the group's thread", function);
    return false;
}

bool RunGroupPrivate::canAdd(const char *function) const
{
    if (!checkThread(function))
        return false;
    if (state == RunGroup::State::Running || state == RunGroup::State::Interrupting) {
        qCWarning(lcCore, "RunGroup::%s: Cannot add an actor while the group is running", function);
        return false;
    }
    return true;
}

int RunGroupPrivate::append(ActorSpec &&spec)
{
    Q_Q(RunGroup);
    specs.push_back(std::move(spec));
    const int index = int(specs.size()) - 1;
    Q_EMIT q->countChanged(int(specs.size()));
    return index;
}

RunGroupPrivate::RunGroupPrivate(RunGroup *q) : q_ptr(q) { }

RunGroupPrivate::~RunGroupPrivate() = default;

RunGroup::RunGroup(QObject *parent) : QObject(parent), d_ptr(new RunGroupPrivate(this)) { }

// HandOver::post() in ThreadSanitizer builds of users' code: the same lock as the library's
// own hand-overs, so that RunGroup::event() is ordered after a post to a group too.
std::recursive_mutex &RunGroupDetail::handOverLock()
{
    return g_handoff;
}

int RunGroup::addImpl(RunGroupDetail::Execute execute, RunGroupDetail::Interrupt interrupt,
                      QObject *context, const QString &name)
{
    Q_D(RunGroup);
    if (!d->canAdd("add"))
        return -1;
    if (!execute) {
        qCWarning(lcCore, "RunGroup::add: execute is empty");
        return -1;
    }
    ActorSpec spec;
    spec.type = ActorSpec::Type::Thread;
    spec.name = name;
    spec.execute = std::make_shared<const RunGroupDetail::Execute>(std::move(execute));
    if (interrupt)
        spec.interrupt = std::make_shared<const RunGroupDetail::Interrupt>(std::move(interrupt));
    spec.context = context;
    spec.hasContext = context != nullptr;
    if (context && spec.interrupt)
        spec.relay = std::make_unique<InterruptRelay>(context);
    return d->append(std::move(spec));
}

int RunGroup::addObjectImpl(QObject *object, const QMetaMethod &exitSignal,
                            RunGroupDetail::Connector connector,
                            RunGroupDetail::Interrupt interrupt, const QString &name)
{
    Q_D(RunGroup);
    if (!d->canAdd("addObject"))
        return -1;
    if (!object) {
        qCWarning(lcCore, "RunGroup::addObject: object is null");
        return -1;
    }
    if (!exitSignal.isValid() || exitSignal.methodType() != QMetaMethod::Signal
        || !object->metaObject()->inherits(exitSignal.enclosingMetaObject())) {
        qCWarning(lcCore, "RunGroup::addObject: exitSignal is not a signal of the object's class");
        return -1;
    }
    ActorSpec spec;
    spec.type = ActorSpec::Type::Object;
    spec.name = name;
    spec.object = object;
    spec.connector = std::move(connector);
    if (interrupt) {
        spec.interrupt = std::make_shared<const RunGroupDetail::Interrupt>(std::move(interrupt));
        spec.relay = std::make_unique<InterruptRelay>(object);
    }
    return d->append(std::move(spec));
}

int RunGroup::addSignalHandler(const QList<int> &signalNumbers)
{
    Q_D(RunGroup);
    if (!d->canAdd("addSignalHandler"))
        return -1;
    if (signalNumbers.isEmpty()) {
        qCWarning(lcSignals, "RunGroup::addSignalHandler: No signal numbers given");
        return -1;
    }
    int bad = 0;
    if (!SignalWatcher::canWatch(signalNumbers, &bad)) {
        qCWarning(lcSignals, "RunGroup::addSignalHandler: Cannot handle signal %d", bad);
        return -1;
    }
    ActorSpec spec;
    spec.type = ActorSpec::Type::Signal;
    spec.name = QStringLiteral("signals");
    spec.signalNumbers = signalNumbers;
    return d->append(std::move(spec));
}

// ---------------------------------------------------------------------------------------
// Running

void RunGroup::start()
{
    Q_D(RunGroup);
    if (!d->checkThread("start"))
        return;
    if (isRunning()) {
        qCWarning(lcCore, "RunGroup::start: The group is already running");
        return;
    }
    if (!QCoreApplication::instance()) {
        // Qt delivers no event without one: no exit would ever be reported.
        qCWarning(lcCore,
                  "RunGroup::start: Cannot run without a QCoreApplication; construct one first");
        return;
    }
    const int n = int(d->specs.size());
    const quint64 run = ++d->generation;
    d->runs.clear();
    d->runs.resize(size_t(n));
    d->shared = std::make_shared<RunShared>(n);
    d->shared->receiver = this;
    d->remaining = n;
    d->timedOut = false;
    d->threadStartError = 0;
    d->firstError = RunError();
    d->errors = QList<RunError>(n);
    d->exitsWhileStarting.clear();
    d->wokenExits.clear();
    d->nextWokenExit = 0;

    // Phase 1: launch every actor. Exits reported meanwhile wait for started().
    d->starting = true;
    d->state = State::Running;
    for (int i = 0; i < n; ++i)
        d->startActor(i);

    // Phase 2: announce the run.
    RunObserver::attachIfWanted(this); // logging category "rungroup", RUNGROUP_TRACE
    QPointer<RunGroup> guard(this);
    Q_EMIT stateChanged(State::Running);
    Q_EMIT runningChanged(true);
    Q_EMIT errorsChanged();
    Q_EMIT started();
    if (!guard)
        return;
    d->starting = false;
    const auto early = std::exchange(d->exitsWhileStarting, {});
    d->wokenExits.insert(d->wokenExits.begin() + ptrdiff_t(d->nextWokenExit), early.begin(),
                         early.end());
    if (!d->reportWokenExits(run))
        return;

    // Phase 3: an empty group finishes asynchronously, as if its last actor had exited.
    if (n == 0) {
        QMetaObject::invokeMethod(
            this,
            [d, run] {
                if (run != d->generation)
                    return;
                if (d->state == State::Running)
                    d->beginShutdown(RunError());
                d->maybeFinish();
            },
            Qt::QueuedConnection);
    }
}

void RunGroupPrivate::startActor(int index)
{
    Q_Q(RunGroup);
    const ActorSpec &spec = specs[size_t(index)];
    ActorRun &actor = runs[size_t(index)];
    const quint64 run = generation;
    switch (spec.type) {
    case ActorSpec::Type::Thread: {
        if (threadStartError != 0) {
            // Creating more threads would fail the same way: these actors never start.
            postExit(index, RunError::canceled(
                                QStringLiteral("RunGroup: Actor %1 was not started because a "
                                               "thread could not be created for an earlier one")
                                    .arg(index)));
            break;
        }
        const int result =
            ActorThreadPool::launch(ActorJob{shared, index, spec.execute, spec.name}, stackSize);
        if (result != 0) {
            threadStartError = result;
            postExit(index, RunError::failure(
                                QStringLiteral("RunGroup: Cannot start a thread for actor %1: %2")
                                    .arg(index)
                                    .arg(QString::fromLocal8Bit(std::strerror(result)))));
        }
        break;
    }
    case ActorSpec::Type::Object: {
        QObject *object = spec.object.data();
        if (!object) {
            // Destroyed before start(): exits as soon as the run has started.
            postExit(index, RunError::canceled());
            break;
        }
        // The object may live on another thread, which may destroy the slot functors.
        std::lock_guard<std::recursive_mutex> handoff(g_handoff);
        actor.exitConnection = spec.connector(
            object, q, RunGroupDetail::ExitHandler([this, run, index](const RunError &e) {
                actorExited(run, index, e);
            }));
        // Queued: reported from the event loop, not from inside the object's destructor,
        // where a slot that destroys the group would spin ~RunGroup's loop and deliver the
        // half-destroyed object's pending events.
        actor.destroyedConnection = QObject::connect(
            object, &QObject::destroyed, q,
            HandedOverSlot([this, run, index] { actorExited(run, index, RunError::canceled()); }),
            Qt::QueuedConnection);
        break;
    }
    case ActorSpec::Type::Signal: {
        QString errorString;
        actor.watcher.reset(SignalWatcher::create(spec.signalNumbers, &errorString));
        if (!actor.watcher) {
            postExit(index, RunError::failure(errorString));
            break;
        }
        // Queued: the exit deletes the watcher, which must not happen inside its own signal.
        QObject::connect(
            actor.watcher.get(), &SignalWatcher::received, q,
            [this, run, index](int signalNumber) {
                actorExited(run, index, RunError::fromSignal(signalNumber));
            },
            Qt::QueuedConnection);
        break;
    }
    }
}

// Reports an exit through the same queue actor threads use: never synchronously.
void RunGroupPrivate::postExit(int index, const RunError &error)
{
    std::lock_guard<std::mutex> lock(shared->mutex);
    shared->exits.emplace_back(index, error);
    shared->wakeLocked();
}

bool RunGroup::event(QEvent *event)
{
    // Also pairs the ThreadChange event, sent on the old thread by moveToThread(), with
    // the first event on the new one: a moved group is handed over visibly too.
    acquireHandoff();
    Q_D(RunGroup);
    if (event->type() == WakeEvent) {
        d->processWake();
        return true;
    }
    if (event->type() == QEvent::Timer
        && static_cast<QTimerEvent *>(event)->timerId() == d->timeoutTimer.timerId()) {
        d->timeout();
        return true;
    }
    return QObject::event(event);
}

void RunGroupPrivate::processWake()
{
    if (!shared)
        return;
    {
        std::lock_guard<std::mutex> lock(shared->mutex);
        shared->wakePending = false;
        if (wokenExits.empty())
            wokenExits.swap(shared->exits);
        else
            std::move(shared->exits.begin(), shared->exits.end(), std::back_inserter(wokenExits));
        shared->exits.clear();
    }
    if (reportWokenExits(generation))
        maybeFinish();
}

// Reports the exits taken but not reported yet, in order. Returns false if the group was
// destroyed or another run began meanwhile (a slot connected to actorExited() did it).
bool RunGroupPrivate::reportWokenExits(quint64 run)
{
    QPointer<RunGroup> guard(q_ptr);
    while (nextWokenExit < wokenExits.size()) {
        // A copy: a nested call (an event loop spun by a slot) may append to the vector.
        const std::pair<int, RunError> exit = wokenExits[nextWokenExit++];
        actorExited(run, exit.first, exit.second);
        if (!guard || run != generation)
            return false;
    }
    wokenExits.clear();
    nextWokenExit = 0;
    return true;
}

void RunGroupPrivate::actorExited(quint64 run, int index, const RunError &error)
{
    Q_Q(RunGroup);
    if (run != generation
        || (state != RunGroup::State::Running && state != RunGroup::State::Interrupting))
        return;
    if (starting) {
        exitsWhileStarting.emplace_back(index, error);
        return;
    }
    ActorRun &actor = runs[size_t(index)];
    if (actor.exited)
        return;
    actor.exited = true;
    releaseActor(index);
    errors[index] = error;
    --remaining;
    // Running until the first exit (or stop()) makes the run Interrupting.
    const bool first = state == RunGroup::State::Running;
    QPointer<RunGroup> guard(q);
    if (first) {
        // The run is Interrupting from its first exit on, and a stop() from a slot
        // connected to actorExited() cannot claim to be first.
        enterInterrupting(error);
        if (!guard || run != generation)
            return;
    }
    Q_EMIT q->errorsChanged();
    Q_EMIT q->actorExited(index, error);
    if (!guard || run != generation)
        return;
    if (first)
        interruptAll();
    else
        maybeFinish();
}

void RunGroup::stop(const RunError &reason)
{
    Q_D(RunGroup);
    if (!d->checkThread("stop"))
        return;
    if (d->state != State::Running) // idle, finished, or an actor already exited
        return;
    d->beginShutdown(reason);
}

void RunGroupPrivate::beginShutdown(const RunError &error)
{
    QPointer<RunGroup> guard(q_ptr);
    const quint64 run = generation;
    enterInterrupting(error);
    if (guard && run == generation)
        interruptAll();
}

void RunGroupPrivate::enterInterrupting(const RunError &error)
{
    firstError = error;
    interruptsSent = false;
    setState(RunGroup::State::Interrupting);
}

void RunGroupPrivate::interruptAll()
{
    if (interruptsSent)
        return;
    interruptsSent = true;
    const int n = int(specs.size());
    {
        // Threaded actors are also asked through their QThread, whose flag a thread that
        // has not started yet picks up from interruptRequested.
        std::lock_guard<std::mutex> lock(shared->mutex);
        for (int i = 0; i < n; ++i) {
            if (specs[size_t(i)].type != ActorSpec::Type::Thread)
                continue;
            shared->interruptRequested[size_t(i)] = 1;
            if (QThread *thread = shared->threads[size_t(i)])
                thread->requestInterruption();
        }
    }
    // Interrupt every actor, the one that exited included, once, in add order. A run of
    // interrupts bound for the same object goes out as one queued call: N actors without a
    // context cost one event, not N.
    QObject *batchTarget = nullptr;
    InterruptRelay *batchRelay = nullptr;
    std::vector<std::pair<int, InterruptFn>> batch;
    for (int i = 0; i < n; ++i) {
        QObject *target = interruptTarget(i);
        InterruptFn interrupt = target ? interruptFor(i) : nullptr;
        if (!interrupt)
            continue; // no interrupt, or its context is already gone: dropped
        if (target != batchTarget && !batch.empty())
            queueInterrupts(batchTarget, batchRelay, std::exchange(batch, {}));
        if (batch.empty())
            batchRelay = specs[size_t(i)].relay.get();
        batchTarget = target;
        batch.emplace_back(i, std::move(interrupt));
    }
    if (!batch.empty())
        queueInterrupts(batchTarget, batchRelay, std::move(batch));
    if (shutdownTimeout > 0 && remaining > 0) {
        timeoutTimer.start(shutdownTimeout, q_ptr);
        if (shutdownTimeoutExits)
            armWatchdog();
    }
    // An empty group finishes from the callback start() queued, never inside stop().
    if (!specs.empty())
        maybeFinish();
}

QObject *RunGroupPrivate::interruptTarget(int index) const
{
    const ActorSpec &spec = specs[size_t(index)];
    switch (spec.type) {
    case ActorSpec::Type::Thread: return spec.hasContext ? spec.context.data() : q_ptr;
    case ActorSpec::Type::Object: return spec.object.data();
    case ActorSpec::Type::Signal: return q_ptr;
    }
    return nullptr;
}

InterruptFn RunGroupPrivate::interruptFor(int index)
{
    const ActorSpec &spec = specs[size_t(index)];
    if (spec.type != ActorSpec::Type::Signal)
        return spec.interrupt;
    // Interrupted signal handlers exit with no error.
    const quint64 run = generation;
    return std::make_shared<const RunGroupDetail::Interrupt>(
        [this, run, index](const RunError &) { actorExited(run, index, RunError()); });
}

// Queues interrupts to target's thread, called in order with the first error. Those left
// when target is destroyed (possibly by one of them) are dropped, as Qt drops the call.
// A target other than the group goes through the first actor's relay (see InterruptRelay).
void RunGroupPrivate::queueInterrupts(QObject *target, InterruptRelay *relay,
                                      std::vector<std::pair<int, InterruptFn>> &&batch)
{
    auto ticket = std::make_shared<InterruptTicket>(shared);
    // Runs on target's thread with target alive: Qt delivered the call to it.
    auto call = [ticket, batch = std::move(batch), error = firstError, target] {
        acquireHandoff();
        const QPointer<QObject> guard(target);
        t_interrupting.push_back(ticket->shared());
        const auto pop = qScopeGuard([] { t_interrupting.pop_back(); });
        for (const auto &[index, interrupt] : batch) {
            if (!guard)
                return;
            try {
                (*interrupt)(error);
            } catch (const std::exception &e) {
                qCWarning(lcCore, "RunGroup: The interrupt of actor %d threw an exception: %s",
                          index, e.what());
            } catch (...) {
                qCWarning(lcCore,
                          "RunGroup: The interrupt of actor %d threw an exception: unknown "
                          "exception",
                          index);
            }
        }
    };
    if (withoutEventLoop && target->thread() == QThread::currentThread()) {
        call(); // no event would ever bring it (see finishWithoutEventLoop)
        return;
    }
    if (relay) {
        // Not delivered if the context is gone by now: the call, and its ticket, then go
        // with this copy, after the hand-over lock is released (the ticket takes it).
        const InterruptRelay::Call shared(std::move(call));
        std::lock_guard<std::recursive_mutex> handoff(g_handoff);
        Q_EMIT relay->deliver(shared);
    } else {
        std::lock_guard<std::recursive_mutex> handoff(g_handoff);
        QMetaObject::invokeMethod(target, std::move(call), Qt::QueuedConnection);
    }
}

InterruptRelay::InterruptRelay(QObject *context)
{
    // Destroyed with the context, possibly on its thread.
    std::lock_guard<std::recursive_mutex> handoff(g_handoff);
    connect(this, &InterruptRelay::deliver, context,
            HandedOverSlot([](const Call &call) { call(); }), Qt::QueuedConnection);
}

InterruptRelay::Call::Call(std::function<void()> f)
    : m_f(std::make_shared<const std::function<void()>>(std::move(f)))
{ }

InterruptRelay::Call::~Call()
{
    acquireHandoff(); // m_f, and what it holds, go after the lock is released again
}

void InterruptRelay::Call::operator()() const
{
    acquireHandoff(); // before reading m_f, which the group's thread wrote
    if (m_f)
        (*m_f)();
}

RunGroupDetail::ExitHandler::ExitHandler(std::function<void(const RunError &)> report)
    : m_report(std::move(report))
{ }

RunGroupDetail::ExitHandler::~ExitHandler()
{
    acquireHandoff(); // m_report goes after the lock is released again
}

// Called on the group's thread, which built it.
void RunGroupDetail::ExitHandler::operator()(const RunError &error) const
{
    if (m_report)
        m_report(error);
}

// Drops what the run holds for an event-driven actor once it exited.
void RunGroupPrivate::releaseActor(int index)
{
    ActorRun &actor = runs[size_t(index)];
    QObject::disconnect(actor.exitConnection);
    QObject::disconnect(actor.destroyedConnection);
    // Second-signal policy: the exit guard takes over before the watcher lets go, so the
    // actor's signals end the process from now until finish().
    if (actor.watcher && secondSignalExits) {
        QString errorString;
        if (SignalWatcher *guard =
                SignalWatcher::createExitGuard(specs[size_t(index)].signalNumbers, &errorString))
            exitGuards.emplace_back(guard);
        else
            qCWarning(lcSignals, "RunGroup: %s", qPrintable(errorString));
    }
    actor.watcher.reset(); // restores the previous signal handlers
}

// The group's thread may be blocked (by an interrupt, a slot) when its timeout is due, and
// its timer with it: the watchdog ends the process if timeout() has not run a grace
// period later.
void RunGroupPrivate::armWatchdog()
{
    constexpr int graceMs = 1000;
    const RunError error = RunError::timeout(
        QStringLiteral("RunGroup: The shutdown did not finish within %1 ms").arg(shutdownTimeout));
    const int code = exitCodeFor(q_ptr, error);
    const QString name = q_ptr->objectName();
    QString errorString;
    watchdog = ShutdownWatchdog::arm(
        std::chrono::milliseconds(qint64(shutdownTimeout) + graceMs), code,
        QStringLiteral("RunGroup%1: The shutdown timeout of %2 ms passed %3 ms ago and the "
                       "group's thread is blocked: exiting with code %4")
            .arg(name.isEmpty() ? QString() : QStringLiteral(" ") + name)
            .arg(shutdownTimeout)
            .arg(graceMs)
            .arg(code),
        &errorString);
    if (!watchdog)
        qCWarning(lcCore, "%s", qPrintable(errorString));
}

void RunGroupPrivate::timeout()
{
    Q_Q(RunGroup);
    timeoutTimer.stop();
    watchdog.reset(); // this thread is not blocked: the timeout is handled here
    if (state != RunGroup::State::Interrupting)
        return;
    timedOut = true;
    const quint64 run = generation;
    QPointer<RunGroup> guard(q);
    for (int i = 0; i < int(runs.size()); ++i) {
        ActorRun &actor = runs[size_t(i)];
        if (actor.exited)
            continue;
        // Left to end on its own thread: RunShared keeps what it touches alive.
        actorExited(run, i,
                    RunError::timeout(QStringLiteral("RunGroup: Actor %1 did not exit within %2 ms")
                                          .arg(i)
                                          .arg(shutdownTimeout)));
        if (!guard || run != generation)
            return;
    }
}

void RunGroupPrivate::maybeFinish()
{
    if (state != RunGroup::State::Interrupting || !interruptsSent || remaining > 0)
        return;
    if (!timedOut && !withoutEventLoop) {
        // finished() promises that every interrupt has run (or was dropped with its context).
        // ~RunGroup called from an interrupt cannot wait for that interrupt to return.
        const int inProgress = destroying ? interruptsInProgressHere(shared.get()) : 0;
        std::lock_guard<std::mutex> lock(shared->mutex);
        if (shared->pendingInterrupts > inProgress)
            return;
    }
    finish();
}

void RunGroupPrivate::finish()
{
    Q_Q(RunGroup);
    timeoutTimer.stop();
    watchdog.reset();
    exitGuards.clear(); // the shutdown is over: the previous signal handlers are back
    {
        // Late exits of timed-out actors are dropped from now on.
        std::lock_guard<std::mutex> lock(shared->mutex);
        shared->receiver = nullptr;
        shared->exits.clear();
    }
    const bool errorChanged = lastError != firstError;
    lastError = firstError;
    const RunError error = firstError;
    QPointer<RunGroup> guard(q);
    setState(RunGroup::State::Finished);
    if (!guard)
        return;
    if (errorChanged)
        Q_EMIT q->errorChanged(error);
    if (guard)
        Q_EMIT q->finished(error);
}

void RunGroupPrivate::setState(RunGroup::State newState)
{
    Q_Q(RunGroup);
    if (state == newState)
        return;
    const bool wasRunning =
        state == RunGroup::State::Running || state == RunGroup::State::Interrupting;
    state = newState;
    const bool running =
        state == RunGroup::State::Running || state == RunGroup::State::Interrupting;
    QPointer<RunGroup> guard(q);
    Q_EMIT q->stateChanged(newState);
    if (guard && wasRunning != running)
        Q_EMIT q->runningChanged(running);
}

int RunGroupPrivate::runningThreads() const
{
    int count = 0;
    for (size_t i = 0; i < runs.size(); ++i) {
        if (specs[i].type == ActorSpec::Type::Thread && !runs[i].exited)
            ++count;
    }
    return count;
}

// Used only by the destructor, which cannot wait for an event loop it is blocking.
void RunGroupPrivate::cancelRemainingEventActors()
{
    const quint64 run = generation;
    for (int i = 0; i < int(runs.size()) && run == generation; ++i) {
        if (specs[size_t(i)].type != ActorSpec::Type::Thread && !runs[size_t(i)].exited)
            actorExited(run, i, RunError::canceled());
    }
}

RunError RunGroup::run()
{
    Q_D(RunGroup);
    if (!d->checkThread("run"))
        return d->lastError;
    if (isRunning()) {
        qCWarning(lcCore, "RunGroup::run: The group is already running");
        return d->lastError;
    }
    if (!QCoreApplication::instance()) {
        qCWarning(lcCore,
                  "RunGroup::run: Cannot run without a QCoreApplication; construct one first");
        return RunError::failure(
            QStringLiteral("RunGroup: The group cannot run without a QCoreApplication"));
    }
    QPointer<RunGroup> guard(this);
    start();
    // Not QEventLoop::exec(): QCoreApplication::exit() ends every loop of this thread, and
    // every later exec() at once until the application's own exec() runs again, while the
    // group has not finished. run() waits for finished() whoever asks event loops to end.
    QEventLoop loop;
    while (guard && d->state != State::Finished)
        d->waitForEvents(loop);
    return guard ? d->lastError : RunError::canceled();
}

// Delivers this thread's pending events, or waits for one.
void RunGroupPrivate::waitForEvents(QEventLoop &loop)
{
    // Called from a posted event (a queued slot or interrupt), Qt's GLib dispatcher does
    // not deliver from a nested loop the events already queued behind that one until
    // something new is posted: the exits and interrupts waited for may be among them.
    QPointer<RunGroup> guard(q_ptr);
    QCoreApplication::sendPostedEvents();
    if (guard && state != RunGroup::State::Finished)
        loop.processEvents(QEventLoop::WaitForMoreEvents);
}

// ~RunGroup with no QCoreApplication (never made, or destroyed before the group): Qt
// delivers no event, so exits are taken from RunShared directly and waited for on its
// condition variable, never by spinning. Event-driven actors could only exit through
// events: they are canceled, which also restores the signal handlers, so a SIGTERM ends a
// process whose threads ignore their interrupts. The shutdown timeout still applies.
void RunGroupPrivate::finishWithoutEventLoop()
{
    cancelRemainingEventActors();
    const QDeadlineTimer deadline = shutdownTimeout > 0
                                        ? QDeadlineTimer(shutdownTimeout, Qt::PreciseTimer)
                                        : QDeadlineTimer(QDeadlineTimer::Forever);
    while (state != RunGroup::State::Finished) {
        {
            std::unique_lock<std::mutex> lock(shared->mutex);
            const auto exited = [this] { return !shared->exits.empty(); };
            if (deadline.isForever())
                shared->woken.wait(lock, exited);
            else
                shared->woken.wait_until(lock, deadline.deadline<std::chrono::steady_clock>(),
                                         exited);
            std::move(shared->exits.begin(), shared->exits.end(), std::back_inserter(wokenExits));
            shared->exits.clear();
        }
        if (reportWokenExits(generation))
            maybeFinish();
        if (state != RunGroup::State::Finished && deadline.hasExpired())
            timeout();
    }
}

RunGroup::~RunGroup()
{
    Q_D(RunGroup);
    if (!isRunning())
        return;
    if (QThread::currentThread() != thread())
        qCWarning(lcCore, "RunGroup::~RunGroup: Destroyed from another thread while running");
    if (!QCoreApplication::instance()) {
        qCWarning(lcCore,
                  "RunGroup::~RunGroup: Destroyed while running after the QCoreApplication; "
                  "event-driven actors are canceled and threaded ones waited for");
        d->withoutEventLoop = true;
    }
    if (d->state == State::Running)
        d->beginShutdown(RunError::canceled());
    else
        d->interruptAll(); // deleted from a slot connected to the first actorExited()
    d->destroying = true;
    // Destroyed from a slot connected to started(): the exits start() held back, and
    // those a processWake() up the stack took, are reported from here.
    d->starting = false;
    const auto early = std::exchange(d->exitsWhileStarting, {});
    d->wokenExits.insert(d->wokenExits.begin() + ptrdiff_t(d->nextWokenExit), early.begin(),
                         early.end());
    if (d->withoutEventLoop) {
        d->finishWithoutEventLoop();
        return;
    }
    // Phase 1: process this thread's events until every threaded actor has returned and
    // every queued interrupt has run. Phase 2: event-driven actors that are still running
    // could only exit through this (blocked) event loop, so they exit canceled.
    QEventLoop loop;
    while (d->state != State::Finished) {
        // Sent first, before the checks below, for the reason waitForEvents() gives.
        QCoreApplication::sendPostedEvents();
        if (d->state == State::Finished)
            break;
        // Destroyed from a slot connected to one timed-out actor's actorExited(): the
        // other actors that timed out are reported from here, not waited for.
        if (d->timedOut)
            d->timeout();
        if (d->state == State::Finished)
            break;
        if (d->nextWokenExit < d->wokenExits.size() && d->reportWokenExits(d->generation))
            d->maybeFinish();
        if (d->state == State::Finished)
            break;
        bool settled = d->runningThreads() == 0;
        if (settled) {
            std::lock_guard<std::mutex> lock(d->shared->mutex);
            settled = d->shared->pendingInterrupts == interruptsInProgressHere(d->shared.get())
                      && d->shared->exits.empty();
        }
        if (settled) {
            d->cancelRemainingEventActors();
            // The last settled interrupt's wake-up may still be queued: finish here, as
            // it would, rather than spin on a condition that event would change.
            d->maybeFinish();
            if (d->state == State::Finished)
                break;
        }
        loop.processEvents(QEventLoop::WaitForMoreEvents);
    }
}

// ---------------------------------------------------------------------------------------
// Properties

bool RunGroup::secondSignalExits() const
{
    Q_D(const RunGroup);
    return d->secondSignalExits;
}

bool RunGroup::shutdownTimeoutExits() const
{
    Q_D(const RunGroup);
    return d->shutdownTimeoutExits;
}

void RunGroup::setShutdownTimeoutExits(bool exits)
{
    Q_D(RunGroup);
    if (d->checkThread("setShutdownTimeoutExits"))
        d->shutdownTimeoutExits = exits;
}

void RunGroup::setSecondSignalExits(bool exits)
{
    Q_D(RunGroup);
    if (d->checkThread("setSecondSignalExits"))
        d->secondSignalExits = exits;
}

RunGroup::State RunGroup::state() const
{
    Q_D(const RunGroup);
    return d->state;
}

bool RunGroup::isRunning() const
{
    Q_D(const RunGroup);
    return d->state == State::Running || d->state == State::Interrupting;
}

void RunGroup::setRunning(bool running)
{
    Q_D(RunGroup);
    if (!d->checkThread("setRunning"))
        return;
    if (running == isRunning())
        return;
    if (running)
        start();
    else
        stop(RunError::canceled());
}

int RunGroup::count() const
{
    Q_D(const RunGroup);
    return int(d->specs.size());
}

QString RunGroup::actorName(int index) const
{
    Q_D(const RunGroup);
    if (index < 0 || index >= int(d->specs.size()))
        return {};
    return d->specs[size_t(index)].name;
}

RunError RunGroup::error() const
{
    Q_D(const RunGroup);
    return d->lastError;
}

QList<RunError> RunGroup::errors() const
{
    Q_D(const RunGroup);
    return d->errors;
}

int RunGroup::shutdownTimeout() const
{
    Q_D(const RunGroup);
    return d->shutdownTimeout;
}

void RunGroup::setShutdownTimeout(int ms)
{
    Q_D(RunGroup);
    if (!d->checkThread("setShutdownTimeout"))
        return;
    if (ms < 0) {
        qCWarning(lcCore, "RunGroup::setShutdownTimeout: The timeout must not be negative");
        return;
    }
    if (d->shutdownTimeout == ms)
        return;
    d->shutdownTimeout = ms;
    Q_EMIT shutdownTimeoutChanged(ms);
}

void RunGroup::setShutdownTimeout(std::chrono::milliseconds timeout)
{
    if (timeout.count() > INT_MAX) {
        if (d_ptr->checkThread("setShutdownTimeout"))
            qCWarning(
                lcCore,
                "RunGroup::setShutdownTimeout: The timeout must be at most %d ms, not %lld ms",
                INT_MAX, static_cast<long long>(timeout.count()));
        return;
    }
    // A negative timeout is refused there, with the same warning as the int overload's.
    setShutdownTimeout(timeout.count() < 0 ? -1 : int(timeout.count()));
}

uint RunGroup::stackSize() const
{
    Q_D(const RunGroup);
    return uint(d->stackSize);
}

void RunGroup::setStackSize(uint bytes)
{
    Q_D(RunGroup);
    if (!d->checkThread("setStackSize"))
        return;
    if (isRunning()) {
        qCWarning(lcThreads, "RunGroup::setStackSize: Cannot change the stack size while running");
        return;
    }
    if (bytes != 0 && bytes < uint(PTHREAD_STACK_MIN)) {
        qCWarning(lcThreads, "RunGroup::setStackSize: %u bytes is below the platform minimum of %u",
                  bytes, uint(PTHREAD_STACK_MIN));
        return;
    }
    // pthread wants whole pages; rounding up must still fit stackSize()'s uint.
    const quint64 page = quint64(sysconf(_SC_PAGESIZE));
    const quint64 largest = quint64(UINT_MAX) / page * page;
    if (bytes > largest) {
        qCWarning(lcThreads,
                  "RunGroup::setStackSize: %u bytes is above the largest stack size of %llu bytes",
                  bytes, static_cast<unsigned long long>(largest));
        return;
    }
    d->stackSize = size_t((quint64(bytes) + page - 1) / page * page);
}

int RunGroup::idleThreadLimit()
{
    return ActorThreadPool::idleLimit();
}

void RunGroup::setIdleThreadLimit(int count)
{
    if (count < 0) {
        qCWarning(lcThreads, "RunGroup::setIdleThreadLimit: The limit must not be negative");
        return;
    }
    ActorThreadPool::setIdleLimit(count);
}

int RunGroup::idleThreadExpiry()
{
    return ActorThreadPool::idleExpiry();
}

void RunGroup::setIdleThreadExpiry(int ms)
{
    if (ms < 0) {
        qCWarning(lcThreads, "RunGroup::setIdleThreadExpiry: The expiry must not be negative");
        return;
    }
    ActorThreadPool::setIdleExpiry(ms);
}

int RunGroup::idleThreadCount()
{
    return ActorThreadPool::idleCount();
}
