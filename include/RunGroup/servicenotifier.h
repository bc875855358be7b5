// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_SERVICENOTIFIER_H
#define RUNGROUP_SERVICENOTIFIER_H

#include <RunGroup/rungroup.h>
#include <RunGroup/rungroup_export.h>

#include <QtCore/QByteArray>
#include <QtCore/QObject>
#include <QtCore/QString>

#include <memory>

class ServiceNotifierPrivate;

//! ServiceNotifier speaks the systemd notify protocol (sd_notify(3)) for a group.
//!
//! When the process runs with NOTIFY_SOCKET set (a Type=notify service), it sends
//! - `READY=1` once the group says every actor is ready (RunGroup::actorReady(); an actor
//!   is ready once started unless it requireReady()), within start() when none waits;
//!   never after the first exit;
//! - `STATUS=...` naming the actors that run, or those the shutdown still waits for;
//! - `STOPPING=1` at the first exit (or stop()): the group becomes Interrupting;
//! - `WATCHDOG=1` every half of WATCHDOG_USEC from started() until finished(), from a
//!   timer on the group's thread, so a blocked event loop stops the pings and the service
//!   manager restarts the service. WATCHDOG_PID, when set, must be this process.
//!
//! Without NOTIFY_SOCKET it starts no timer and sends nothing; requireReady() and
//! markReady() still reach the group, whose readiness lets dependents start.
//!
//! It observes the group rather than being one of its actors: count(), the actor indexes
//! and the run's outcome do not depend on the environment, and notifying the service
//! manager can never end a run. A malformed or unreachable NOTIFY_SOCKET prints one warning
//! (`"ServiceNotifier: Cannot notify the service manager at <address>: <reason>"`) and the
//! group runs on; a WATCHDOG_USEC that is not a number of microseconds prints one warning
//! and disables the watchdog; WATCHDOG_USEC=0 disables it silently.
//!
//! Messages go through libsystemd's sd_notify() when the build found it, otherwise through
//! a built-in sender (one datagram to the unix socket, a path or an abstract `@` name);
//! backend() says which. A notifier lives on its group's thread; use it there, except
//! where a member says it is thread-safe. `#include <RunGroup/ServiceNotifier>`. See
//! docs/service.md.
class RUNGROUP_EXPORT ServiceNotifier : public QObject
{
    Q_OBJECT
    //! Whether NOTIFY_SOCKET was set when the notifier was created; see isEnabled().
    Q_PROPERTY(bool enabled READ isEnabled CONSTANT)
    //! Whether READY=1 was sent in this run; see isReady().
    Q_PROPERTY(bool ready READ isReady NOTIFY readyChanged)
    //! Milliseconds between two WATCHDOG=1 messages, or 0; see watchdogInterval().
    Q_PROPERTY(int watchdogInterval READ watchdogInterval CONSTANT)

public:
    //! Attaches a notifier to group, as its child: it lives on the group's thread and is
    //! destroyed with it. Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID now. Create it
    //! on the group's thread, before start() (if the group already runs, the notifier
    //! treats that run as just started). One notifier per group.
    explicit ServiceNotifier(RunGroup *group);
    //! Destroys the notifier, on the group's thread; it sends nothing more.
    ~ServiceNotifier() override;

    //! Returns the group this notifier reports on.
    RunGroup *group() const;

    //! Returns true if NOTIFY_SOCKET was set when the notifier was created; otherwise
    //! returns false, and the notifier does nothing.
    bool isEnabled() const;
    //! Returns the milliseconds between two WATCHDOG=1 messages (half of WATCHDOG_USEC, at
    //! least 1 and at most INT_MAX: a longer timeout is pinged every INT_MAX ms, about 24.8
    //! days, still in time), or 0 when there is no watchdog.
    int watchdogInterval() const;
    //! Returns true from the moment READY=1 was sent until the run finishes; otherwise
    //! (also when the notifier is disabled) returns false.
    bool isReady() const;

    //! Forwards to RunGroup::requireReady(): READY=1 (and the actor's dependents) wait until
    //! actor actorIndex (as add*() returned it) is marked ready, such as a server once
    //! listen() succeeded. Call on the group's thread before start(). An index that is not
    //! an actor of the group prints `"ServiceNotifier::requireReady: No actor <index> in
    //! the group"` and is ignored.
    void requireReady(int actorIndex);

    //! Returns "libsystemd" or "built-in": how this build sends messages; "none" on
    //! Windows, where a ServiceNotifier is inert (sends nothing, warns of nothing).
    //! Thread-safe.
    static QString backend();

public Q_SLOTS:
    //! Reports that actor actorIndex is ready: forwards to RunGroup::markReady() once the
    //! actor has started. Thread-safe: an actor's execute may call it on its own thread (it
    //! is then queued to the group's thread). A report made before the actor started (or
    //! before start()) counts when it starts; reports are forgotten when a run finishes.
    //! Reports after the first exit, twice, or for an actor that does not require readiness
    //! are ignored silently; an unknown index prints `"ServiceNotifier::markReady: No actor
    //! <index> in the group"`. Avoid default arguments and overloads here, as they do not
    //! mix with connections.
    void markReady(int actorIndex);

    //! Sends state (newline-separated VARIABLE=value assignments, as sd_notify(3) takes
    //! them, such as "RELOADING=1") to the service manager. Returns true if it was sent;
    //! otherwise (disabled, or the send failed) returns false. Call on the group's thread.
    bool notify(const QByteArray &state);

Q_SIGNALS:
    //! This signal is emitted on the group's thread when isReady() changes to ready.
    void readyChanged(bool ready);

private:
    Q_DECLARE_PRIVATE(ServiceNotifier)
    Q_DISABLE_COPY_MOVE(ServiceNotifier)
    std::unique_ptr<ServiceNotifierPrivate> d_ptr;
};

#endif // RUNGROUP_SERVICENOTIFIER_H
