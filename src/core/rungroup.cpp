// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "logging_p.h"
#include "rungroup_p.h"

#include "handover_p.h"
#include "nativethread_p.h"
#include "runobserver_p.h"
#include "shutdownwatchdog_p.h"
#include "signalwatcher_p.h"
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
#include <optional>

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

// A duration in milliseconds the group keeps in an int (its timers take one): 0 to INT_MAX,
// or a warning naming what and the value.
bool RunGroupPrivate::checkMs(const char *function, const char *what, long long ms) const
{
    if (ms < 0) {
        qCWarning(lcCore, "RunGroup::%s: The %s must not be negative", function, what);
        return false;
    }
    if (ms > INT_MAX) {
        qCWarning(lcCore, "RunGroup::%s: The %s must be at most %d ms, not %lld ms", function, what,
                  INT_MAX, ms);
        return false;
    }
    return true;
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

// For the ordering configuration of actor index: on the group's thread, while idle or
// finished, for an actor that exists.
bool RunGroupPrivate::canConfigure(const char *function, int index, const char *what) const
{
    if (!checkThread(function))
        return false;
    if (state == RunGroup::State::Running || state == RunGroup::State::Interrupting) {
        qCWarning(lcCore, "RunGroup::%s: Cannot change %s while the group is running", function,
                  what);
        return false;
    }
    if (index < 0 || index >= int(specs.size())) {
        qCWarning(lcCore, "RunGroup::%s: There is no actor %d", function, index);
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
    spec.restartable = true;
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

bool RunGroup::setReloadSignals(int index, const QList<int> &signalNumbers)
{
    Q_D(RunGroup);
    if (!d->canConfigure("setReloadSignals", index, "the reload signals"))
        return false;
    ActorSpec &spec = d->specs[size_t(index)];
    if (spec.type != ActorSpec::Type::Signal) {
        qCWarning(lcSignals, "RunGroup::setReloadSignals: %s is not a signal handler",
                  qPrintable(d->actorLabel(index)));
        return false;
    }
    int bad = 0;
    if (!SignalWatcher::canWatch(signalNumbers, &bad)) {
        qCWarning(lcSignals, "RunGroup::setReloadSignals: Cannot handle signal %d", bad);
        return false;
    }
    spec.reloadSignals = signalNumbers;
    return true;
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
    d->shared = std::make_shared<RunShared>(run, n, this);
    d->remaining = n;
    d->timedOut = false;
    d->threadStartError = 0;
    d->firstError = RunError();
    d->errors = QList<RunError>(n);
    d->exitQueue.clear();

    d->readyCount = 0;
    d->interruptsQueued = 0;
    d->restartTimersActive = 0;
    d->reloadRound = 0;
    d->reloadAgain = false;
    d->launched.clear();
    d->pendingReady.clear();
    d->nextLaunched = 0;
    d->nextReady = 0;
    d->computeDependents();

    // Phase 1: launch every actor that waits for no other. Exits seen meanwhile stay queued
    // until started() is out.
    d->starting = true;
    d->state = State::Running;
    {
        // Parked actor threads are woken together once all are launched, by each other
        // (ActorThreadPool::LaunchBatch). Not while a model is there: its dataChanged()
        // reaches users' code, which must find every launched actor on its way.
        std::optional<ActorThreadPool::LaunchBatch> batch;
        if (!d->model)
            batch.emplace();
        for (int i = 0; i < n; ++i) {
            if (d->specs[size_t(i)].dependencies.isEmpty())
                d->launch(i);
        }
    }

    // Phase 2: announce the run.
    RunObserver::attachIfWanted(this); // logging category "rungroup", RUNGROUP_TRACE
    QPointer<RunGroup> guard(this);
    Q_EMIT stateChanged(State::Running);
    Q_EMIT runningChanged(true);
    Q_EMIT errorsChanged();
    Q_EMIT started();
    if (!guard || !d->announceLaunched())
        return;
    d->starting = false;
    if (!d->reportExits())
        return;
    if (d->state == State::Running && d->startupTimeout > 0 && d->readyCount < n)
        d->startupTimer.start(d->startupTimeout, this);

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

bool RunGroup::event(QEvent *event)
{
    // Also pairs the ThreadChange event, sent on the old thread by moveToThread(), with
    // the first event on the new one: a moved group is handed over visibly too.
    HandOverPrivate::received();
    Q_D(RunGroup);
    if (event->type() == GroupEvent::exitsPosted()) {
        if (d->shared) {
            d->takePostedExits();
            if (d->reportExits())
                d->maybeFinish();
        }
        return true;
    }
    if (event->type() == GroupEvent::reloadsSettled()) {
        if (d->shared)
            d->reloadsSettled();
        return true;
    }
    if (event->type() == GroupEvent::interruptsSettled()) {
        if (d->shared) {
            {
                std::lock_guard<std::mutex> lock(d->shared->mutex);
                d->shared->settledEventPending = false;
            }
            d->maybeFinish();
        }
        return true;
    }
    if (event->type() == QEvent::Timer) {
        const int id = static_cast<QTimerEvent *>(event)->timerId();
        if (id == d->timeoutTimer.timerId()) {
            d->timeout();
            return true;
        }
        if (id == d->startupTimer.timerId()) {
            d->startupTimedOut();
            return true;
        }
        if (id == d->drainTimer.timerId()) {
            d->endDrain();
            return true;
        }
        if (d->restartTimerEvent(id))
            return true;
    }
    return QObject::event(event);
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
    d->destroying = true; // no drain, and see interruptsSettled()
    if (d->state == State::Running)
        d->beginShutdown(RunError::canceled());
    else
        d->interruptAll(); // deleted from a slot connected to the first actorExited(), or draining
    // Destroyed from a slot connected to started() or actorExited(): the exits still
    // queued are reported from here.
    d->starting = false;
    if (d->withoutEventLoop) {
        d->finishWithoutEventLoop();
        return;
    }
    if (d->reportExits()) {
        // Destroyed from a slot connected to actorExited() during a staged stop: the
        // interrupts that exit let go were not sent yet.
        if (d->interruptsSent)
            d->sendDueInterrupts();
        d->maybeFinish();
    }
    // Process this thread's events until every threaded actor has returned and every
    // queued interrupt has run (maybeFinish() then finishes). Event-driven actors still
    // running after that could only exit through this blocked event loop: canceled.
    QEventLoop loop;
    while (d->state != State::Finished) {
        // Sent first, for the reason waitForEvents() gives.
        QCoreApplication::sendPostedEvents();
        if (d->state == State::Finished)
            break;
        if (d->onlyEventActorsLeft()) {
            d->cancelRemainingEventActors(true);
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
    setShutdownTimeout(std::chrono::milliseconds(ms));
}

void RunGroup::setShutdownTimeout(std::chrono::milliseconds timeout)
{
    Q_D(RunGroup);
    if (!d->checkThread("setShutdownTimeout")
        || !d->checkMs("setShutdownTimeout", "timeout", timeout.count()))
        return;
    const int ms = int(timeout.count());
    if (d->shutdownTimeout == ms)
        return;
    d->shutdownTimeout = ms;
    Q_EMIT shutdownTimeoutChanged(ms);
}

int RunGroup::drainDelay() const
{
    Q_D(const RunGroup);
    return d->drainDelay;
}

void RunGroup::setDrainDelay(int ms)
{
    setDrainDelay(std::chrono::milliseconds(ms));
}

void RunGroup::setDrainDelay(std::chrono::milliseconds delay)
{
    Q_D(RunGroup);
    if (d->checkThread("setDrainDelay") && d->checkMs("setDrainDelay", "delay", delay.count()))
        d->drainDelay = int(delay.count());
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
    const uint minimum = uint(NativeThread::minimumStackSize());
    if (bytes != 0 && bytes < minimum) {
        qCWarning(lcThreads, "RunGroup::setStackSize: %u bytes is below the platform minimum of %u",
                  bytes, minimum);
        return;
    }
    // Whole pages; rounding up must still fit stackSize()'s uint.
    const quint64 page = quint64(NativeThread::stackSizeUnit());
    const quint64 largest = quint64(UINT_MAX) / page * page;
    if (bytes > largest) {
        qCWarning(lcThreads,
                  "RunGroup::setStackSize: %u bytes is above the largest stack size of %llu bytes",
                  bytes, static_cast<unsigned long long>(largest));
        return;
    }
    d->stackSize = size_t((quint64(bytes) + page - 1) / page * page);
}
