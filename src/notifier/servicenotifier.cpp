// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include <RunGroup/servicenotifier.h>

#include <RunGroup/handover.h>

#include "extension_p.h"
#include "logging_p.h"
#include "servicenotify_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QList>
#include <QtCore/QSet>
#include <QtCore/QStringList>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>

#ifdef RUNGROUP_HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

// Everything here belongs to the group's thread (markReady() from another thread is
// queued there first).
class ServiceNotifierPrivate
{
    Q_DECLARE_PUBLIC(ServiceNotifier)
public:
    ServiceNotifierPrivate(ServiceNotifier *q, RunGroup *group) : q_ptr(q), group(group) { }

    void readEnvironment();
    bool send(const QByteArray &state);
    QString actorLabel(int index) const;
    QString namesOf(const QList<int> &indexes) const;
    QList<int> running() const;

    void started();
    void actorStarted(int index);
    void actorReady();
    void markReady(int index);
    void forwardMarks();
    void maybeReady();
    void reloading();
    void reloaded();
    void stopping();
    void actorExited(int index, const RunError &error);
    void finished(const RunError &error);
    void setReady(bool ready);

    ServiceNotifier *q_ptr;
    RunGroup *const group;
    bool active = false;     // the group's notifier (not a second one, not without a group)
    bool forwarding = false; // forwardMarks() connected
    bool enabled = false;
    QByteArray address; // NOTIFY_SOCKET
    int watchdogMs = 0; // 0: no watchdog
    QTimer *watchdog = nullptr;
    bool warned = false; // the one warning about a failed send was printed
    // markReady() forwards to the group (whose readiness lets dependents start, with or
    // without NOTIFY_SOCKET); a mark made before the actor started waits here for it, as
    // in 1.0 a mark made before start() counted for the next run.
    QSet<int> pending;
    int readyActors = 0;     // actorReady() in the current run
    QSet<int> exited;        // actors of the current run that exited
    bool inRun = false;      // between started() and finished()
    bool ready = false;      // READY=1 sent in this run
    bool isStopping = false; // STOPPING=1 sent in this run
};

namespace {
// Parses a positive decimal number the way systemd writes them; nothing else.
bool parseUnsigned(const QByteArray &text, qulonglong *value)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (c < '0' || c > '9')
            return false;
    }
    bool ok = false;
    *value = text.toULongLong(&ok);
    return ok;
}
} // namespace

void ServiceNotifierPrivate::readEnvironment()
{
    address = qgetenv("NOTIFY_SOCKET");
    enabled = !address.isEmpty() && ServiceNotify::available();
    if (!enabled)
        return;

    // WATCHDOG_PID names the process the watchdog is meant for (sd_watchdog_enabled(3)):
    // a child that inherited the variables must not ping for its parent.
    const QByteArray pidText = qgetenv("WATCHDOG_PID");
    if (!pidText.isEmpty()) {
        qulonglong pid = 0;
        if (!parseUnsigned(pidText, &pid) || pid == 0) {
            qCWarning(lcNotifier, "ServiceNotifier: Ignoring WATCHDOG_PID=%s: not a process id",
                      pidText.constData());
            return;
        }
        if (pid != qulonglong(QCoreApplication::applicationPid()))
            return;
    }
    const QByteArray usecText = qgetenv("WATCHDOG_USEC");
    if (usecText.isEmpty())
        return;
    qulonglong usec = 0;
    if (!parseUnsigned(usecText, &usec)) {
        qCWarning(lcNotifier,
                  "ServiceNotifier: Ignoring WATCHDOG_USEC=%s: not a number of microseconds",
                  usecText.constData());
        return;
    }
    if (usec == 0)
        return; // systemd's own way of saying "no watchdog"
    // Half the timeout, as sd_watchdog_enabled(3) recommends; at least 1 ms.
    const qulonglong ms = usec / 2000;
    watchdogMs = ms == 0 ? 1 : ms > qulonglong(INT_MAX) ? INT_MAX : int(ms);
}

bool ServiceNotifierPrivate::send(const QByteArray &state)
{
    if (!enabled)
        return false;
#ifdef RUNGROUP_HAVE_LIBSYSTEMD
    // sd_notify() reads NOTIFY_SOCKET itself; 0 means it is no longer set.
    const int result = sd_notify(0, state.constData());
    const int error = result > 0 ? 0 : result == 0 ? EDESTADDRREQ : -result;
#else
    const int error = ServiceNotify::sendBuiltIn(address, state);
#endif
    if (error == 0)
        return true;
    // Once: a service manager that cannot be reached now will not be reached at every
    // watchdog tick either, and the group runs on regardless.
    if (!warned) {
        warned = true;
        qCWarning(lcNotifier, "ServiceNotifier: Cannot notify the service manager at %s: %s",
                  address.constData(), std::strerror(error));
    }
    return false;
}

QString ServiceNotifierPrivate::actorLabel(int index) const
{
    const QString name = group->actorName(index);
    return name.isEmpty() ? QStringLiteral("actor %1").arg(index) : name;
}

QString ServiceNotifierPrivate::namesOf(const QList<int> &indexes) const
{
    QStringList names;
    for (int index : indexes)
        names.append(actorLabel(index));
    return names.join(QStringLiteral(", "));
}

QList<int> ServiceNotifierPrivate::running() const
{
    QList<int> indexes;
    for (int i = 0; i < group->count(); ++i) {
        if (!exited.contains(i))
            indexes.append(i);
    }
    return indexes;
}

void ServiceNotifierPrivate::started()
{
    inRun = true;
    exited.clear();
    isStopping = false;
    readyActors = 0;
    for (int i = 0; i < group->count(); ++i)
        readyActors += group->isReady(i) ? 1 : 0; // created while the group runs
    if (watchdog)
        watchdog->start();
    // Those that must say they are ready (the actors that wait for them follow).
    QList<int> waiting;
    for (int i = 0; i < group->count(); ++i) {
        if (!group->isReady(i) && group->requiresReady(i))
            waiting.append(i);
    }
    if (!waiting.isEmpty())
        send("STATUS=Starting: waiting for " + namesOf(waiting).toUtf8() + " to be ready");
}

void ServiceNotifierPrivate::actorStarted(int index)
{
    if (pending.remove(index))
        group->markReady(index);
}

void ServiceNotifierPrivate::actorReady()
{
    ++readyActors;
    maybeReady();
}

// On the group's thread.
void ServiceNotifierPrivate::markReady(int index)
{
    if (index < 0 || index >= group->count()) {
        qCWarning(lcNotifier, "ServiceNotifier::markReady: No actor %d in the group", index);
        return;
    }
    // As in 1.0: ignored after the first exit, and harmless for an actor that is ready once
    // started or is ready already.
    if (group->state() == RunGroup::State::Interrupting || !group->requiresReady(index)
        || (group->state() == RunGroup::State::Running && group->isReady(index)))
        return;
    if (group->state() == RunGroup::State::Running && group->isStarted(index))
        group->markReady(index);
    else
        pending.insert(index); // at its actorStarted()
    forwardMarks();
}

// Readiness goes to the group, notifying or not: a waiting mark is passed on when its
// actor starts, and forgotten when the run finishes.
void ServiceNotifierPrivate::forwardMarks()
{
    Q_Q(ServiceNotifier);
    if (forwarding)
        return;
    forwarding = true;
    QObject::connect(group, &RunGroup::actorStarted, q, [this](int index) { actorStarted(index); });
    QObject::connect(group, &RunGroup::finished, q,
                     [this](const RunError &error) { finished(error); });
}

// READY=1 once the group says every actor is ready.
void ServiceNotifierPrivate::maybeReady()
{
    if (!enabled || !inRun || ready || isStopping || group->state() != RunGroup::State::Running
        || readyActors < group->count())
        return;
    send("READY=1\nSTATUS=Running: " + namesOf(running()).toUtf8());
    setReady(true);
}

// systemd's Type=notify-reload: RELOADING=1 with the monotonic clock's time when a reload
// round begins, READY=1 once it is over.
void ServiceNotifierPrivate::reloading()
{
    if (!inRun || isStopping)
        return;
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    const qulonglong usec = qulonglong(now.tv_sec) * 1000000ULL + qulonglong(now.tv_nsec) / 1000;
    send("RELOADING=1\nMONOTONIC_USEC=" + QByteArray::number(usec) + "\nSTATUS=Reloading");
}

void ServiceNotifierPrivate::reloaded()
{
    if (!inRun || isStopping)
        return;
    send("READY=1\nSTATUS=Running: " + namesOf(running()).toUtf8());
}

void ServiceNotifierPrivate::stopping()
{
    if (!inRun || isStopping)
        return;
    isStopping = true;
    send("STOPPING=1\nSTATUS=Stopping");
}

void ServiceNotifierPrivate::actorExited(int index, const RunError &error)
{
    if (!inRun)
        return;
    Q_UNUSED(error); // the reason is in the last status, from finished()
    exited.insert(index);
    const QList<int> left = running();
    if (!isStopping || left.isEmpty())
        return; // finished() follows
    send("STATUS=Stopping: waiting for " + namesOf(left).toUtf8());
}

void ServiceNotifierPrivate::finished(const RunError &error)
{
    pending.clear(); // marks are forgotten when a run finishes
    if (!inRun)
        return;
    inRun = false;
    isStopping = false;
    if (watchdog)
        watchdog->stop();
    send("STATUS=Stopped: " + error.toString().toUtf8());
    setReady(false);
}

void ServiceNotifierPrivate::setReady(bool value)
{
    Q_Q(ServiceNotifier);
    if (ready == value)
        return;
    ready = value;
    Q_EMIT q->readyChanged(value);
}

ServiceNotifier::ServiceNotifier(RunGroup *group)
    : QObject(group), d_ptr(new ServiceNotifierPrivate(this, group))
{
    Q_D(ServiceNotifier);
    if (!group) {
        qCWarning(lcNotifier, "ServiceNotifier: The group is null; this notifier does nothing");
        return;
    }
    const QList<ServiceNotifier *> siblings = Extension::findAll<ServiceNotifier>(group);
    if (siblings.size() > 1) {
        qCWarning(lcNotifier,
                  "ServiceNotifier: The group already has a notifier; this one does nothing");
        return;
    }
    d->active = true;
    d->readEnvironment();
    if (!d->enabled)
        return; // costs nothing: no connection (until a mark waits), no timer
    connect(group, &RunGroup::started, this, [d] { d->started(); });
    d->forwardMarks();

    if (d->watchdogMs > 0) {
        d->watchdog = new QTimer(this);
        d->watchdog->setInterval(d->watchdogMs);
        connect(d->watchdog, &QTimer::timeout, this, [d] { d->send("WATCHDOG=1"); });
    }
    connect(group, &RunGroup::actorReady, this, [d] { d->actorReady(); });
    connect(group, &RunGroup::reloading, this, [d] { d->reloading(); });
    connect(group, &RunGroup::reloaded, this, [d] { d->reloaded(); });
    connect(group, &RunGroup::stateChanged, this, [d](RunGroup::State state) {
        if (state == RunGroup::State::Interrupting)
            d->stopping();
    });
    connect(group, &RunGroup::actorExited, this,
            [d](int index, const RunError &error) { d->actorExited(index, error); });
    if (group->isRunning()) {
        d->started();
        if (group->state() == RunGroup::State::Interrupting)
            d->stopping();
    }
}

ServiceNotifier::~ServiceNotifier() = default;

RunGroup *ServiceNotifier::group() const
{
    Q_D(const ServiceNotifier);
    return d->group;
}

bool ServiceNotifier::isEnabled() const
{
    Q_D(const ServiceNotifier);
    return d->enabled;
}

int ServiceNotifier::watchdogInterval() const
{
    Q_D(const ServiceNotifier);
    return d->watchdogMs;
}

bool ServiceNotifier::isReady() const
{
    Q_D(const ServiceNotifier);
    return d->ready;
}

void ServiceNotifier::requireReady(int actorIndex)
{
    Q_D(ServiceNotifier);
    if (!d->group || actorIndex < 0 || actorIndex >= d->group->count()) {
        qCWarning(lcNotifier, "ServiceNotifier::requireReady: No actor %d in the group",
                  actorIndex);
        return;
    }
    d->group->requireReady(actorIndex); // warns while the group runs
}

void ServiceNotifier::markReady(int actorIndex)
{
    if (QThread::currentThread() != thread()) {
        // Through the hand-over primitive: visibly ordered for ThreadSanitizer too.
        HandOver::post(this, [this, actorIndex] { markReady(actorIndex); });
        return;
    }
    Q_D(ServiceNotifier);
    if (d->active)
        d->markReady(actorIndex);
}

bool ServiceNotifier::notify(const QByteArray &state)
{
    Q_D(ServiceNotifier);
    return d->send(state);
}

QString ServiceNotifier::backend()
{
    if (!ServiceNotify::available())
        return QStringLiteral("none"); // Windows: inert
#ifdef RUNGROUP_HAVE_LIBSYSTEMD
    return QStringLiteral("libsystemd");
#else
    return QStringLiteral("built-in");
#endif
}
