// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "logging_p.h"

#include <RunGroup/runerror.h>

#include <QtCore/QDebug>
#include <QtCore/QList>
#include <QtCore/QMetaEnum>
#include <QtCore/QSharedData>

#include <csignal>
#include <cstring>

class RunErrorData : public QSharedData
{
public:
    RunError::Kind kind = RunError::Kind::NoError;
    QString message;
    int signalNumber = 0;
    int exitCode = -1;
    std::exception_ptr exception;
};

namespace {
// The contract requires the "RunError" metatype to exist before any RunGroup does, so
// that QML and queued connections can name it: register when the library is loaded.
void registerMetaTypes()
{
    qRegisterMetaType<RunError>("RunError");
    qRegisterMetaType<QList<RunError>>("QList<RunError>");
}
Q_CONSTRUCTOR_FUNCTION(registerMetaTypes)

QString signalName(int signalNumber)
{
    switch (signalNumber) {
    case SIGINT: return QStringLiteral("SIGINT");
    case SIGTERM: return QStringLiteral("SIGTERM");
#ifdef Q_OS_WIN
    // Windows' C runtime has these; the console events map to the first three.
    case SIGBREAK: return QStringLiteral("SIGBREAK");
    case SIGABRT: return QStringLiteral("SIGABRT");
#else
    case SIGHUP: return QStringLiteral("SIGHUP");
    case SIGQUIT: return QStringLiteral("SIGQUIT");
    case SIGUSR1: return QStringLiteral("SIGUSR1");
    case SIGUSR2: return QStringLiteral("SIGUSR2");
    case SIGPIPE: return QStringLiteral("SIGPIPE");
    case SIGALRM: return QStringLiteral("SIGALRM");
    case SIGCHLD: return QStringLiteral("SIGCHLD");
    case SIGWINCH: return QStringLiteral("SIGWINCH");
#endif
    default: return QString::number(signalNumber);
    }
}
} // namespace

RunError::RunError() : d(new RunErrorData) { }
RunError::RunError(const RunError &other) = default;
RunError::RunError(RunError &&other) noexcept = default;
RunError &RunError::operator=(const RunError &other) = default;
RunError &RunError::operator=(RunError &&other) noexcept = default;
RunError::~RunError() = default;

RunError::RunError(Kind kind, const QString &message, int signalNumber,
                   std::exception_ptr exception)
    : d(new RunErrorData)
{
    d->kind = kind;
    d->message = message;
    d->signalNumber = signalNumber;
    d->exception = std::move(exception);
}

RunError RunError::failure(const QString &message)
{
    return RunError(Kind::Failure, message);
}

RunError RunError::failure(const QString &message, int exitCode)
{
    return failure(message).withExitCode(exitCode);
}

RunError RunError::canceled(const QString &message)
{
    return RunError(Kind::Canceled, message);
}

RunError RunError::timeout(const QString &message)
{
    return RunError(Kind::Timeout, message);
}

RunError RunError::fromSignal(int signalNumber)
{
    if (signalNumber < 1 || signalNumber >= NSIG)
        qCWarning(lcCore, "RunError::fromSignal: The signal number must be 1 to %d, not %d",
                  NSIG - 1, signalNumber);
    return RunError(Kind::Signal, QStringLiteral("Received signal ") + signalName(signalNumber),
                    signalNumber);
}

RunError RunError::fromException(std::exception_ptr exception)
{
    if (!exception)
        return RunError();
    QString message;
    try {
        std::rethrow_exception(exception);
    } catch (const std::exception &e) {
        message = QString::fromLocal8Bit(e.what());
    } catch (...) {
        message = QStringLiteral("unknown exception");
    }
    return RunError(Kind::Exception, message, 0, std::move(exception));
}

bool RunError::isError() const
{
    return d->kind != Kind::NoError;
}

RunError::Kind RunError::kind() const
{
    return d->kind;
}

QString RunError::message() const
{
    return d->message;
}

int RunError::signalNumber() const
{
    return d->signalNumber;
}

std::exception_ptr RunError::exception() const
{
    return d->exception;
}

int RunError::exitCode() const
{
    return d->exitCode;
}

RunError RunError::withExitCode(int exitCode) const
{
    RunError copy(*this);
    if (exitCode < -1 || exitCode > 255) {
        qCWarning(lcCore, "RunError::withExitCode: The exit code must be -1 or 0 to 255");
        return copy;
    }
    copy.d->exitCode = exitCode; // detaches
    return copy;
}

QString RunError::toString() const
{
    if (!isError())
        return QStringLiteral("no error");
    const QString kindName =
        QString::fromLatin1(QMetaEnum::fromType<Kind>().valueToKey(int(d->kind)));
    return d->message.isEmpty() ? kindName : kindName + QStringLiteral(": ") + d->message;
}

bool operator==(const RunError &a, const RunError &b)
{
    return a.d == b.d
           || (a.d->kind == b.d->kind && a.d->message == b.d->message
               && a.d->signalNumber == b.d->signalNumber && a.d->exitCode == b.d->exitCode);
}

QDebug operator<<(QDebug debug, const RunError &error)
{
    QDebugStateSaver saver(debug);
    debug.nospace() << "RunError(" << error.toString() << ')';
    return debug;
}
