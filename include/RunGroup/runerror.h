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

//! RunError is the value an actor exits with: no error, or a failure, an exception,
//! a signal, a cancellation or a timeout.
//!
//! It is an implicitly shared value type, usable across threads, in queued signals and
//! from QML (as the value type runError). Its members are reentrant: a RunError may be
//! copied and read on any thread, and distinct copies used on different threads at once.
//! The metatype "RunError" is registered when the library is loaded, before any group
//! exists. `#include <RunGroup/RunError>` (also included by `<RunGroup/RunGroup>`).
class RUNGROUP_EXPORT RunError
{
    Q_GADGET
    //! Whether this is an error; see isError().
    Q_PROPERTY(bool isError READ isError CONSTANT)
    //! The kind of error; see kind().
    Q_PROPERTY(Kind kind READ kind CONSTANT)
    //! The error's message; see message().
    Q_PROPERTY(QString message READ message CONSTANT)
    //! The signal number of a Kind::Signal error, otherwise 0; see signalNumber().
    Q_PROPERTY(int signalNumber READ signalNumber CONSTANT)
    //! The process exit code this error asks for, or -1; see exitCode().
    Q_PROPERTY(int exitCode READ exitCode CONSTANT)

public:
    //! What an actor exited with, as kind() reports it. toString() names it.
    enum class Kind {
        NoError,   //!< No error: isError() is false. RunError() constructs it.
        Failure,   //!< A failure carrying a message: failure().
        Exception, //!< An exception thrown by an actor: fromException().
        Signal,    //!< A signal the process received: fromSignal().
        Canceled,  //!< A cancellation: canceled(), stop()'s default reason.
        Timeout    //!< A deadline or a shutdown timeout that passed: timeout().
    };
    Q_ENUM(Kind)

    //! Constructs "no error": isError() is false and kind() is Kind::NoError.
    RunError();
    //! Constructs a copy of other; the two share their data until one changes.
    RunError(const RunError &other);
    //! Move-constructs a RunError from other, which may then only be assigned to or
    //! destroyed.
    RunError(RunError &&other) noexcept;
    //! Assigns other to this error and returns a reference to it.
    RunError &operator=(const RunError &other);
    //! Move-assigns other to this error and returns a reference to it; other may then only
    //! be assigned to or destroyed.
    RunError &operator=(RunError &&other) noexcept;
    //! Destroys the error.
    ~RunError();

    //! Returns a Kind::Failure error carrying message.
    static RunError failure(const QString &message);
    //! Returns a Kind::Failure error carrying message and a process exit code (0 to 255,
    //! for example a sysexits.h value such as EX_CONFIG), as
    //! failure(message).withExitCode(exitCode).
    static RunError failure(const QString &message, int exitCode);
    //! Returns a Kind::Canceled error; stop() uses it by default.
    static RunError canceled(const QString &message = {});
    //! Returns a Kind::Timeout error.
    static RunError timeout(const QString &message = {});
    //! Returns a Kind::Signal error for signalNumber (such as SIGTERM); message() names the
    //! signal. A number that is no signal (below 1 or above NSIG - 1, 64 on Linux) prints
    //! `"RunError::fromSignal: The signal number must be 1 to 64, not <n>"` and is kept as
    //! it is.
    static RunError fromSignal(int signalNumber);
    //! Returns a Kind::Exception error holding exception; message() is its what() when it
    //! is a std::exception. A null exception_ptr gives no error.
    static RunError fromException(std::exception_ptr exception);

    //! Returns true if this is an error (any kind but NoError); otherwise returns false.
    bool isError() const;
    //! Returns isError(): `if (error)` tests for an error.
    explicit operator bool() const { return isError(); }

    //! Returns the kind of error; Kind::NoError for no error.
    Kind kind() const;
    //! Returns the error's message (what() for an exception, "Received signal SIGTERM" for
    //! a signal); empty for no error and for an error made without one.
    QString message() const;
    //! Returns the signal number of a Kind::Signal error; otherwise returns 0.
    int signalNumber() const;
    //! Returns the stored exception of a Kind::Exception error (rethrowing it gives the
    //! original type); otherwise returns a null exception_ptr.
    std::exception_ptr exception() const;
    //! Returns the process exit code this error asks for (0 to 255), set by withExitCode()
    //! or failure(message, exitCode); otherwise returns -1. RunGroup::defaultExitCode()
    //! uses it before looking at kind().
    int exitCode() const;
    //! Returns a copy of this error that carries exitCode (0 to 255; -1 removes it). Any
    //! other value prints `"RunError::withExitCode: The exit code must be -1 or 0 to 255"`
    //! and returns an unchanged copy.
    RunError withExitCode(int exitCode) const;
    //! Returns a one-line description such as "Failure: disk full" or "no error".
    Q_INVOKABLE QString toString() const;

    //! Returns true if a and b are equal: their kind, message, signal number and exit code
    //! are; otherwise returns false.
    friend RUNGROUP_EXPORT bool operator==(const RunError &a, const RunError &b);
    //! Returns true if a and b differ in kind, message, signal number or exit code;
    //! otherwise returns false.
    friend bool operator!=(const RunError &a, const RunError &b) { return !(a == b); }

private:
    RunError(Kind kind, const QString &message, int signalNumber = 0,
             std::exception_ptr exception = nullptr);
    QSharedDataPointer<RunErrorData> d;
};

//! \relates RunError
//! Writes error to debug as `RunError(<toString()>)`, such as `RunError(Failure: disk full)`.
RUNGROUP_EXPORT QDebug operator<<(QDebug debug, const RunError &error);

Q_DECLARE_METATYPE(RunError)

#endif // RUNGROUP_RUNERROR_H
