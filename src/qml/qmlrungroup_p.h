// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUPQML_QMLRUNGROUP_P_H
#define RUNGROUPQML_QMLRUNGROUP_P_H

#include <RunGroup/runerror.h>

#include <QtCore/QAbstractItemModel>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QVariant>
#include <QtQml/qqml.h>
#include <QtQml/qqmllist.h>
#include <QtQml/qqmlparserstatus.h>

#include <chrono>

class RunGroup;
class RunGroupActor;

// QML: RunGroup { running: true; Actor { … } SignalActor { … } }
//
// The QML face of a ::RunGroup it owns. Actors declared as children join the group in
// declaration order when the component is complete; a declared running: true starts the
// group only then, with every child added. Everything happens on the GUI thread.
class QmlRunGroup : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    // The actors, by index. Children that are not actors are ignored with a warning.
    Q_PROPERTY(QQmlListProperty<QObject> actors READ actors NOTIFY countChanged)
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    // Writing true starts the group, false stops it (RunError.Canceled). The last write
    // wins: true written while a stop is under way starts the group again once finished.
    Q_PROPERTY(bool running READ isRunning WRITE setRunning NOTIFY runningChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    // The first error of the last finished run.
    Q_PROPERTY(RunError error READ error NOTIFY errorChanged)
    // Each actor's error of the current or last run, by index: a list of runError (no
    // error until the actor exits; reset by each start).
    Q_PROPERTY(QVariantList errors READ errors NOTIFY errorsChanged)
    // Milliseconds to wait for actors after the interrupts (0: forever); see ::RunGroup.
    // A number, not an int: QML would wrap a larger value into int's range (2^32 + 300 into
    // 300) before the setter could refuse it. Rounded to whole milliseconds; negative, above
    // INT_MAX or not finite: warning, unchanged.
    Q_PROPERTY(double shutdownTimeout READ shutdownTimeout WRITE setShutdownTimeout NOTIFY
                   shutdownTimeoutChanged)
    // Milliseconds within which every actor must be ready (0: no limit); see ::RunGroup.
    // A number for the same reason as shutdownTimeout; rounded to whole milliseconds;
    // negative, above INT_MAX or not finite: warning, unchanged.
    Q_PROPERTY(double startupTimeout READ startupTimeout WRITE setStartupTimeout NOTIFY
                   startupTimeoutChanged)
    // Milliseconds between the end of a run with every actor ready and the interrupts (0:
    // none); see ::RunGroup::drainDelay(). A number, refused as startupTimeout is.
    Q_PROPERTY(double drainDelay READ drainDelay WRITE setDrainDelay NOTIFY drainDelayChanged)
    // ::RunGroup::actorModel(): a row per actor, roles name, state, error, dependencies and
    // since.
    Q_PROPERTY(QAbstractItemModel *actorModel READ actorModel CONSTANT)
    Q_CLASSINFO("DefaultProperty", "actors")
    QML_NAMED_ELEMENT(RunGroup)

public:
    // The same values as ::RunGroup::State.
    enum class State { Idle, Running, Interrupting, Finished };
    Q_ENUM(State)
    // The same values as ::RunGroup::ExitPolicy: an actor's exitPolicy.
    enum class ExitPolicy { EndRun, EndRunOnError, RestartOnError, Restart };
    Q_ENUM(ExitPolicy)

    explicit QmlRunGroup(QObject *parent = nullptr);
    // Destroying a running group stops it (RunError.Canceled) and joins its actors before
    // any of them is destroyed. QML handlers do not run from here on.
    ~QmlRunGroup() override;

    QQmlListProperty<QObject> actors();
    State state() const;
    bool isRunning() const;
    void setRunning(bool running);
    int count() const;
    RunError error() const;
    QVariantList errors() const;
    double shutdownTimeout() const;
    void setShutdownTimeout(double ms);
    double startupTimeout() const;
    void setStartupTimeout(double ms);
    double drainDelay() const;
    void setDrainDelay(double ms);
    QAbstractItemModel *actorModel() const;

    // Starts every actor; while running: warning, no effect. Before the component is
    // complete, it starts once it is.
    Q_INVOKABLE void start();
    // Begins shutdown unless an actor already exited, with reason: nothing (or undefined)
    // is RunError.Canceled; a runError is itself; a non-empty string is a failure with that
    // message; a kind (RunError.Canceled, RunError.Timeout, RunError.Failure,
    // RunError.NoError) is that kind with no message. Any other reason prints
    // "RunGroup.stop: …" and stops nothing.
    Q_INVOKABLE void stop(const QVariant &reason = QVariant());
    // Returns the actor at index, or null.
    Q_INVOKABLE RunGroupActor *actorAt(int index) const;
    // ::RunGroup::reload(): emits reloading(), then each running actor's reload() on the GUI
    // thread, then reloaded(). Coalesced while a round runs; ignored unless Running.
    Q_INVOKABLE void reload();

    void classBegin() override;
    void componentComplete() override;

    // RunGroupActor's after changed: applied at once while idle or finished (queued, so
    // that a list assigned entry by entry is read once), from the next run while running.
    void afterChanged(RunGroupActor *actor);

Q_SIGNALS:
    void started();
    void actorStarted(int index);
    void actorReady(int index);
    void actorExited(int index, const RunError &error);
    void finished(const RunError &error);
    void stateChanged();
    void runningChanged();
    void countChanged();
    void errorChanged();
    void errorsChanged();
    void shutdownTimeoutChanged();
    void startupTimeoutChanged();
    void drainDelayChanged();
    void actorRestarting(int index, const RunError &error, int attempt);
    void reloading();
    void reloaded();

private:
    static void appendActor(QQmlListProperty<QObject> *list, QObject *object);
    static qsizetype actorCount(QQmlListProperty<QObject> *list);
    static QObject *actorAtIndex(QQmlListProperty<QObject> *list, qsizetype index);

    void append(QObject *object);
    void join(RunGroupActor *actor);
    void applyOrdering();
    bool applyAfter(RunGroupActor *actor);
    void onActorStarted(int index);
    void onActorReady(int index);
    void onActorExited(int index, const RunError &error);
    void onActorRestarting(int index, const RunError &error, int attempt);
    void onFinished(const RunError &error);

    RunGroup *m_group;                        // owned; destroyed first in ~QmlRunGroup
    QList<QPointer<RunGroupActor>> m_actors;  // joined: m_actors[i] is the group's actor i
    QList<QPointer<RunGroupActor>> m_pending; // declared, joining at componentComplete()
    bool m_complete = true;
    bool m_startWhenComplete = false;
    bool m_restartPending = false; // running = true was written during a stop
    bool m_orderingQueued = false; // applyOrdering() is queued
};

// A QML number of milliseconds for the core's std::chrono overloads: false, with a warning
// naming property ("<property> must be a number of milliseconds from <low> to 2147483647,
// not <ms>"), when it is not finite or, rounded, outside low to INT_MAX.
bool qmlMilliseconds(QObject *object, const char *property, double ms, int low,
                     std::chrono::milliseconds *result);

#endif // RUNGROUPQML_QMLRUNGROUP_P_H
