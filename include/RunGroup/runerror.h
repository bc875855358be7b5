// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_RUNERROR_H
#define RUNGROUP_RUNERROR_H

#include <RunGroup/rungroup_export.h>

#include <QtCore/QMetaType>
#include <QtCore/QObject>
#include <QtCore/QSharedDataPointer>
#include <QtCore/QString>

#include <exception>

class RunErrorData;

// RunError is the value an actor exits with: no error, or a failure, an exception,
// a signal, a cancellation or a timeout. It is an implicitly shared value type,
// usable across threads, in queued signals and from QML (as the value type runError).
class RUNGROUP_EXPORT RunError
{
    Q_GADGET
    Q_PROPERTY(bool isError READ isError CONSTANT)
    Q_PROPERTY(Kind kind READ kind CONSTANT)
    Q_PROPERTY(QString message READ message CONSTANT)
    Q_PROPERTY(int signalNumber READ signalNumber CONSTANT)
    Q_PROPERTY(int exitCode READ exitCode CONSTANT)

public:
    enum class Kind { NoError, Failure, Exception, Signal, Canceled, Timeout };
    Q_ENUM(Kind)

    // Constructs "no error": isError() is false and kind() is Kind::NoError.
    RunError();
    RunError(const RunError &other);
    RunError(RunError &&other) noexcept;
    RunError &operator=(const RunError &other);
    RunError &operator=(RunError &&other) noexcept;
    ~RunError();

    // Returns a Kind::Failure error carrying message.
    static RunError failure(const QString &message);
    // Returns a Kind::Failure error carrying message and a process exit code (0 to 255,
    // e.g. a sysexits.h value such as EX_CONFIG), as failure(message).withExitCode(exitCode).
    static RunError failure(const QString &message, int exitCode);
    // Returns a Kind::Canceled error; stop() uses it by default.
    static RunError canceled(const QString &message = {});
    // Returns a Kind::Timeout error.
    static RunError timeout(const QString &message = {});
    // Returns a Kind::Signal error for signalNumber (e.g. SIGTERM); message() names the signal.
    // A number that is no signal (below 1 or above NSIG - 1, 64 on Linux) prints
    // "RunError::fromSignal: The signal number must be 1 to 64, not <n>" and is kept as it is.
    static RunError fromSignal(int signalNumber);
    // Returns a Kind::Exception error holding exception; message() is its what() when it
    // is a std::exception. A null exception_ptr gives no error.
    static RunError fromException(std::exception_ptr exception);

    // Returns true if this is an error (any kind but NoError); otherwise returns false.
    bool isError() const;
    explicit operator bool() const { return isError(); }

    Kind kind() const;
    QString message() const;
    // Returns the signal number of a Kind::Signal error; otherwise returns 0.
    int signalNumber() const;
    // Returns the stored exception of a Kind::Exception error (rethrowing it gives the
    // original type); otherwise returns a null exception_ptr.
    std::exception_ptr exception() const;
    // Returns the process exit code this error asks for (0 to 255), set by withExitCode()
    // or failure(message, exitCode); otherwise returns -1. RunGroup::defaultExitCode()
    // uses it before looking at kind().
    int exitCode() const;
    // Returns a copy of this error that carries exitCode (0 to 255; -1 removes it). Any
    // other value prints "RunError::withExitCode: The exit code must be -1 or 0 to 255"
    // and returns an unchanged copy.
    RunError withExitCode(int exitCode) const;
    // Returns a one-line description such as "Failure: disk full" or "no error".
    Q_INVOKABLE QString toString() const;

    // Two errors are equal when kind, message, signal number and exit code are equal.
    friend RUNGROUP_EXPORT bool operator==(const RunError &a, const RunError &b);
    friend bool operator!=(const RunError &a, const RunError &b) { return !(a == b); }

private:
    RunError(Kind kind, const QString &message, int signalNumber = 0,
             std::exception_ptr exception = nullptr);
    QSharedDataPointer<RunErrorData> d;
};

RUNGROUP_EXPORT QDebug operator<<(QDebug debug, const RunError &error);

Q_DECLARE_METATYPE(RunError)

#endif // RUNGROUP_RUNERROR_H
