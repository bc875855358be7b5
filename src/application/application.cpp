// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// RunGroup::bindToApplication() and the exit code mapping. Built on the public API only
// (rungroup_p.h only declares exitCodeFor() for the core): what a group needs for them lives
// in a hidden child object, ApplicationBinding.

#include "extension_p.h"
#include "logging_p.h"
#include "rungroup_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QEventLoop>
#include <QtCore/QPointer>
#include <QtCore/QThread>

#include <csignal>

namespace {

// The per-group state of this file: the exit code mapper and the application binding.
// An extension of its group (extension_p.h); created on first
// use. Not a RunGroupPrivate member so that the core stays unaware of applications.
class ApplicationBinding : public QObject
{
    Q_OBJECT

public:
    explicit ApplicationBinding(RunGroup *group) : QObject(group), m_group(group)
    {
        setObjectName(QStringLiteral("_q_RunGroupApplicationBinding"));
    }

    static ApplicationBinding *find(const RunGroup *group)
    {
        return Extension::find<ApplicationBinding>(group);
    }
    static ApplicationBinding *ensure(RunGroup *group)
    {
        ApplicationBinding *binding = find(group);
        return binding ? binding : new ApplicationBinding(group);
    }

    void bind(QCoreApplication *app)
    {
        m_app = app;
        connect(m_group, &RunGroup::finished, this, &ApplicationBinding::quitApplication,
                Qt::UniqueConnection);
        connect(app, &QCoreApplication::aboutToQuit, this, &ApplicationBinding::stopAndWait,
                Qt::UniqueConnection);
    }
    bool isBound() const { return !m_app.isNull(); }

    RunGroup::ExitCodeMapper mapper;

private:
    // The group finished: the application exits with the run's code. Queued to the
    // application's event loop, never called from inside the group's signal.
    void quitApplication()
    {
        const int code = m_group->exitCode();
        if (m_app)
            QMetaObject::invokeMethod(
                m_app, [code] { QCoreApplication::exit(code); }, Qt::QueuedConnection);
    }

    // The application's event loop has ended (quit(), last window closed): stop the group
    // and wait for it here, honouring its shutdown timeout, so that no actor thread still
    // runs when exec() returns and the application object is destroyed.
    void stopAndWait()
    {
        if (!m_group->isRunning())
            return;
        m_group->stop(RunError::canceled(QStringLiteral("RunGroup: The application is quitting")));
        // processEvents rather than QEventLoop::exec(): the loop exec() just left may have
        // left the thread in a state in which a nested exec() returns at once.
        QEventLoop loop;
        QPointer<RunGroup> group(m_group);
        while (group && group->isRunning())
            loop.processEvents(QEventLoop::WaitForMoreEvents);
    }

    RunGroup *const m_group;
    QPointer<QCoreApplication> m_app;
};

// The group bound to the application, if any. Read and written on the application's
// thread only (bindToApplication() checks that first).
QPointer<RunGroup> g_boundGroup;

} // namespace

bool RunGroup::bindToApplication()
{
    if (QThread::currentThread() != thread()) {
        qCWarning(lcApplication,
                  "RunGroup::bindToApplication: Must be called from the group's thread");
        return false;
    }
    QCoreApplication *app = QCoreApplication::instance();
    if (!app) {
        qCWarning(lcApplication, "RunGroup::bindToApplication: No QCoreApplication exists");
        return false;
    }
    if (app->thread() != thread()) {
        qCWarning(lcApplication,
                  "RunGroup::bindToApplication: The group must live on the application's thread");
        return false;
    }
    if (isBoundToApplication())
        return true;
    // A group bound to an application that has since been destroyed no longer counts.
    if (g_boundGroup && g_boundGroup != this && g_boundGroup->isBoundToApplication()) {
        qCWarning(lcApplication,
                  "RunGroup::bindToApplication: Another group is already bound to the "
                  "application");
        return false;
    }
    ApplicationBinding::ensure(this)->bind(app);
    g_boundGroup = this;
    return true;
}

bool RunGroup::isBoundToApplication() const
{
    const ApplicationBinding *binding = ApplicationBinding::find(this);
    return binding && binding->isBound();
}

int RunGroup::exitCode() const
{
    if (state() != State::Finished)
        return 0;
    // Judged by the first error, unless the shutdown timed out.
    RunError judged = error();
    if (judged.kind() != RunError::Kind::Timeout) {
        const QList<RunError> all = errors();
        for (const RunError &e : all) {
            if (e.kind() == RunError::Kind::Timeout) {
                judged = e;
                break;
            }
        }
    }
    return exitCodeFor(this, judged);
}

void RunGroup::setExitCodeMapper(ExitCodeMapper mapper)
{
    if (QThread::currentThread() != thread()) {
        qCWarning(lcApplication,
                  "RunGroup::setExitCodeMapper: Must be called from the group's thread");
        return;
    }
    if (!mapper && !ApplicationBinding::find(this))
        return;
    ApplicationBinding::ensure(this)->mapper = std::move(mapper);
}

int exitCodeFor(const RunGroup *group, const RunError &error)
{
    const ApplicationBinding *binding = ApplicationBinding::find(group);
    if (binding && binding->mapper)
        return binding->mapper(error);
    return RunGroup::defaultExitCode(error);
}

int RunGroup::defaultExitCode(const RunError &error)
{
    if (error.exitCode() >= 0)
        return error.exitCode();
    switch (error.kind()) {
    case RunError::Kind::NoError:
    case RunError::Kind::Canceled: return 0;
    case RunError::Kind::Signal:
        switch (error.signalNumber()) {
        case SIGINT:
        case SIGTERM:
#ifdef Q_OS_WIN
        case SIGBREAK: // Ctrl+Break (console events: src/signals/signalwatcher_win.cpp)
#else
        case SIGHUP:
#endif
            return 0;
        default:
            // 128 + n is an exit code (at most 255) only for n from 1 to 127; a Kind::Signal
            // error can carry any int (RunError::fromSignal() warns about it).
            return error.signalNumber() >= 1 && error.signalNumber() <= 127
                       ? 128 + error.signalNumber()
                       : 1;
        }
    case RunError::Kind::Failure:
    case RunError::Kind::Exception: return 1;
    case RunError::Kind::Timeout: return 124;
    }
    return 1;
}

#include "application.moc"
