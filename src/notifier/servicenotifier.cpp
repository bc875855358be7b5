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
    void maybeReady();
    void stopping();
    void actorExited(int index, const RunError &error);
    void finished(const RunError &error);
    void setReady(bool ready);

    ServiceNotifier *q_ptr;
    RunGroup *const group;
    bool enabled = false;
    QByteArray address; // NOTIFY_SOCKET
    int watchdogMs = 0; // 0: no watchdog
    QTimer *watchdog = nullptr;
    bool warned = false;     // the one warning about a failed send was printed
    QSet<int> required;      // requireReady()
    QSet<int> marked;        // markReady() since the last run finished
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
    if (watchdog)
        watchdog->start();
    maybeReady();
    if (ready)
        return;
    QList<int> waiting;
    for (int i = 0; i < group->count(); ++i) {
        if (required.contains(i) && !marked.contains(i))
            waiting.append(i);
    }
    send("STATUS=Starting: waiting for " + namesOf(waiting).toUtf8() + " to be ready");
}

void ServiceNotifierPrivate::maybeReady()
{
    if (!inRun || ready || isStopping || group->state() != RunGroup::State::Running)
        return;
    for (int index : std::as_const(required)) {
        if (!marked.contains(index))
            return;
    }
    send("READY=1\nSTATUS=Running: " + namesOf(running()).toUtf8());
    setReady(true);
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
    if (!inRun)
        return;
    inRun = false;
    isStopping = false;
    if (watchdog)
        watchdog->stop();
    marked.clear();
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
    d->readEnvironment();
    if (!d->enabled)
        return; // costs nothing: no connection, no timer

    if (d->watchdogMs > 0) {
        d->watchdog = new QTimer(this);
        d->watchdog->setInterval(d->watchdogMs);
        connect(d->watchdog, &QTimer::timeout, this, [d] { d->send("WATCHDOG=1"); });
    }
    connect(group, &RunGroup::started, this, [d] { d->started(); });
    connect(group, &RunGroup::stateChanged, this, [d](RunGroup::State state) {
        if (state == RunGroup::State::Interrupting)
            d->stopping();
    });
    connect(group, &RunGroup::actorExited, this,
            [d](int index, const RunError &error) { d->actorExited(index, error); });
    connect(group, &RunGroup::finished, this, [d](const RunError &error) { d->finished(error); });
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
    d->required.insert(actorIndex);
}

void ServiceNotifier::markReady(int actorIndex)
{
    if (QThread::currentThread() != thread()) {
        // Through the hand-over primitive: visibly ordered for ThreadSanitizer too.
        HandOver::post(this, [this, actorIndex] { markReady(actorIndex); });
        return;
    }
    Q_D(ServiceNotifier);
    if (!d->enabled || d->isStopping)
        return;
    d->marked.insert(actorIndex);
    d->maybeReady();
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
