// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include <RunGroup/RunError>
#include <RunGroup/RunGroup>

#include <QtCore/QMetaEnum>
#include <QtCore/QMetaProperty>
#include <QtCore/QMetaType>
#include <QtCore/QVariant>
#include <QtTest/QTest>

#include <climits>
#include <csignal>
#include <exception>
#include <stdexcept>
#include <type_traits>

// Lets QCOMPARE print RunError values.
char *toString(const RunError &error)
{
    return QTest::toString(error.toString());
}

namespace {
// A std::exception subclass: rethrowing RunError::exception() must give back this type.
class DiskFullError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// Not derived from std::exception.
struct NotAStdException
{
    int code = 42;
};

QVariant readProperty(const RunError &error, const char *name)
{
    const QMetaObject &mo = RunError::staticMetaObject;
    const int index = mo.indexOfProperty(name);
    if (index < 0)
        return QVariant();
    return mo.property(index).readOnGadget(&error);
}
} // namespace

class tst_RunError : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void defaultIsNoError();
    void failure();
    void canceled();
    void timeout();
    void fromSignal();
    void fromSignalOutOfRange_data();
    void fromSignalOutOfRange();
    void fromStdException();
    void fromNonStdException();
    void fromNullException();
    void operatorBool();
    void equality_data();
    void equality();
    void copiesAreEqual();
    void toString_data();
    void toString();
    void variant();
    void gadgetProperties_data();
    void gadgetProperties();
    void kindIsQEnum();
    void exitCode();
};

void tst_RunError::initTestCase()
{
    // Must come before anything in this test touches the type: the library registers
    // "RunError" when it is loaded, not on first use from this executable.
    QVERIFY(QMetaType::fromName("RunError").isValid());
    QCOMPARE(QMetaType::fromName("RunError"), QMetaType::fromType<RunError>());
}

void tst_RunError::defaultIsNoError()
{
    const RunError error;
    QVERIFY(!error.isError());
    QCOMPARE(error.kind(), RunError::Kind::NoError);
    QVERIFY(error.message().isEmpty());
    QCOMPARE(error.signalNumber(), 0);
    QVERIFY(!error.exception());
    QCOMPARE(error, RunError());
}

void tst_RunError::failure()
{
    const RunError error = RunError::failure(QStringLiteral("disk full"));
    QVERIFY(error.isError());
    QCOMPARE(error.kind(), RunError::Kind::Failure);
    QCOMPARE(error.message(), QStringLiteral("disk full"));
    QCOMPARE(error.signalNumber(), 0);
    QVERIFY(!error.exception());

    // A failure is an error even without a message.
    const RunError bare = RunError::failure(QString());
    QVERIFY(bare.isError());
    QCOMPARE(bare.kind(), RunError::Kind::Failure);
}

void tst_RunError::canceled()
{
    const RunError plain = RunError::canceled();
    QVERIFY(plain.isError());
    QCOMPARE(plain.kind(), RunError::Kind::Canceled);
    QVERIFY(plain.message().isEmpty());
    QCOMPARE(plain.signalNumber(), 0);
    QVERIFY(!plain.exception());

    const RunError withMessage = RunError::canceled(QStringLiteral("user quit"));
    QCOMPARE(withMessage.kind(), RunError::Kind::Canceled);
    QCOMPARE(withMessage.message(), QStringLiteral("user quit"));
}

void tst_RunError::timeout()
{
    const RunError plain = RunError::timeout();
    QVERIFY(plain.isError());
    QCOMPARE(plain.kind(), RunError::Kind::Timeout);
    QVERIFY(plain.message().isEmpty());
    QCOMPARE(plain.signalNumber(), 0);

    const RunError withMessage = RunError::timeout(QStringLiteral("too slow"));
    QCOMPARE(withMessage.kind(), RunError::Kind::Timeout);
    QCOMPARE(withMessage.message(), QStringLiteral("too slow"));
}

void tst_RunError::fromSignal()
{
    const RunError error = RunError::fromSignal(SIGTERM);
    QVERIFY(error.isError());
    QCOMPARE(error.kind(), RunError::Kind::Signal);
    QCOMPARE(error.signalNumber(), SIGTERM);
    QVERIFY(!error.exception());
    QCOMPARE(error.message(), QStringLiteral("Received signal SIGTERM"));

    const RunError interrupt = RunError::fromSignal(SIGINT);
    QCOMPARE(interrupt.signalNumber(), SIGINT);
    QVERIFY(interrupt.message().contains(QStringLiteral("SIGINT")));
}

void tst_RunError::fromSignalOutOfRange_data()
{
    // RunGroup::defaultExitCode() used to return 128 + n for any n: signed overflow for
    // INT_MAX, and codes outside 0 to 255 for others.
    QTest::addColumn<int>("signalNumber");
    QTest::addColumn<bool>("warns");
    QTest::addColumn<int>("exitCode"); // RunGroup::defaultExitCode()
#ifdef Q_OS_WIN
    QTest::addRow("SIGBREAK") << int(SIGBREAK) << false << 0; // Ctrl+Break: a requested stop
#else
    QTest::addRow("SIGUSR1") << int(SIGUSR1) << false << 128 + SIGUSR1;
    QTest::addRow("SIGRTMAX") << int(SIGRTMAX) << false << 128 + SIGRTMAX;
#endif
    QTest::addRow("0") << 0 << true << 1;
    QTest::addRow("-1") << -1 << true << 1;
    QTest::addRow("INT_MIN") << INT_MIN << true << 1;
    QTest::addRow("NSIG") << int(NSIG) << true << 128 + NSIG;
    QTest::addRow("127") << 127 << true << 255;
    QTest::addRow("128") << 128 << true << 1;
    QTest::addRow("INT_MAX") << INT_MAX << true << 1;
}

void tst_RunError::fromSignalOutOfRange()
{
    QFETCH(int, signalNumber);
    QFETCH(bool, warns);
    QFETCH(int, exitCode);
    if (warns) {
        const QByteArray warning = "RunError::fromSignal: The signal number must be 1 to "
                                   + QByteArray::number(NSIG - 1) + ", not "
                                   + QByteArray::number(signalNumber);
        QTest::ignoreMessage(QtWarningMsg, warning.constData());
    }
    const RunError error = RunError::fromSignal(signalNumber);
    QCOMPARE(error.kind(), RunError::Kind::Signal);
    QCOMPARE(error.signalNumber(), signalNumber);
    QCOMPARE(RunGroup::defaultExitCode(error), exitCode);
}

void tst_RunError::fromStdException()
{
    const RunError error =
        RunError::fromException(std::make_exception_ptr(DiskFullError("disk full")));
    QVERIFY(error.isError());
    QCOMPARE(error.kind(), RunError::Kind::Exception);
    QCOMPARE(error.message(), QStringLiteral("disk full"));
    QCOMPARE(error.signalNumber(), 0);
    QVERIFY(error.exception());

    // exception() is the stored exception_ptr itself: the original type comes back.
    bool caughtOriginalType = false;
    try {
        std::rethrow_exception(error.exception());
    } catch (const DiskFullError &e) {
        caughtOriginalType = true;
        QCOMPARE(QString::fromLatin1(e.what()), QStringLiteral("disk full"));
    } catch (...) {
    }
    QVERIFY(caughtOriginalType);

    // Copies share it.
    const RunError copy = error;
    QVERIFY(copy.exception() == error.exception());
}

void tst_RunError::fromNonStdException()
{
    const RunError error = RunError::fromException(std::make_exception_ptr(NotAStdException()));
    QVERIFY(error.isError());
    QCOMPARE(error.kind(), RunError::Kind::Exception);
    QCOMPARE(error.message(), QStringLiteral("unknown exception"));
    QVERIFY(error.exception());

    int code = 0;
    try {
        std::rethrow_exception(error.exception());
    } catch (const NotAStdException &e) {
        code = e.code;
    } catch (...) {
    }
    QCOMPARE(code, 42);
}

void tst_RunError::fromNullException()
{
    const RunError error = RunError::fromException(nullptr);
    QVERIFY(!error.isError());
    QCOMPARE(error.kind(), RunError::Kind::NoError);
    QVERIFY(!error.exception());
    QCOMPARE(error, RunError());

    const RunError fromEmptyPtr = RunError::fromException(std::exception_ptr());
    QVERIFY(!fromEmptyPtr.isError());
}

void tst_RunError::operatorBool()
{
    static_assert(std::is_constructible_v<bool, RunError>, "RunError must test as a bool");
    static_assert(!std::is_convertible_v<RunError, bool>, "operator bool must be explicit");

    QVERIFY(!RunError());
    QVERIFY(bool(RunError::failure(QStringLiteral("x"))));
    QVERIFY(bool(RunError::canceled()));
    QVERIFY(bool(RunError::timeout()));
    QVERIFY(bool(RunError::fromSignal(SIGINT)));
    QVERIFY(bool(RunError::fromException(std::make_exception_ptr(std::logic_error("x")))));
    QVERIFY(!RunError::fromException(nullptr));

    const RunError errors[] = {RunError(), RunError::failure(QStringLiteral("x")),
                               RunError::canceled(), RunError::fromSignal(SIGTERM)};
    for (const RunError &error : errors)
        QCOMPARE(bool(error), error.isError());
}

void tst_RunError::equality_data()
{
    QTest::addColumn<RunError>("a");
    QTest::addColumn<RunError>("b");
    QTest::addColumn<bool>("equal");

    const auto failure = [](const char *m) { return RunError::failure(QString::fromLatin1(m)); };
    QTest::addRow("none-none") << RunError() << RunError() << true;
    QTest::addRow("failure-same") << failure("a") << failure("a") << true;
    QTest::addRow("failure-message") << failure("a") << failure("b") << false;
    QTest::addRow("failure-none") << failure("a") << RunError() << false;
    QTest::addRow("failure-canceled")
        << failure("a") << RunError::canceled(QStringLiteral("a")) << false;
    QTest::addRow("canceled-canceled") << RunError::canceled() << RunError::canceled() << true;
    QTest::addRow("canceled-none") << RunError::canceled() << RunError() << false;
    QTest::addRow("canceled-timeout") << RunError::canceled() << RunError::timeout() << false;
    QTest::addRow("timeout-message")
        << RunError::timeout() << RunError::timeout(QStringLiteral("x")) << false;
    QTest::addRow("signal-same") << RunError::fromSignal(SIGTERM) << RunError::fromSignal(SIGTERM)
                                 << true;
    QTest::addRow("signal-number")
        << RunError::fromSignal(SIGTERM) << RunError::fromSignal(SIGINT) << false;
    // Exceptions compare by kind and message, not by the exception object.
    QTest::addRow("exception-same-what")
        << RunError::fromException(std::make_exception_ptr(std::runtime_error("x")))
        << RunError::fromException(std::make_exception_ptr(std::logic_error("x"))) << true;
    QTest::addRow("exception-what")
        << RunError::fromException(std::make_exception_ptr(std::runtime_error("x")))
        << RunError::fromException(std::make_exception_ptr(std::runtime_error("y"))) << false;
    QTest::addRow("exception-failure")
        << RunError::fromException(std::make_exception_ptr(std::runtime_error("x"))) << failure("x")
        << false;
}

void tst_RunError::equality()
{
    QFETCH(RunError, a);
    QFETCH(RunError, b);
    QFETCH(bool, equal);

    QCOMPARE(a == b, equal);
    QCOMPARE(b == a, equal);
    QCOMPARE(a != b, !equal);
    QCOMPARE(b != a, !equal);
    QVERIFY(a == a);
    QVERIFY(!(a != a));
}

void tst_RunError::copiesAreEqual()
{
    RunError a = RunError::failure(QStringLiteral("x"));
    RunError b = a;
    QCOMPARE(b, a);
    RunError c;
    c = a;
    QCOMPARE(c, a);
    RunError moved = std::move(b);
    QCOMPARE(moved, a);
    // Assigning to a copy leaves the original alone.
    c = RunError::canceled();
    QCOMPARE(a.kind(), RunError::Kind::Failure);
    QCOMPARE(c.kind(), RunError::Kind::Canceled);
}

void tst_RunError::toString_data()
{
    QTest::addColumn<RunError>("error");
    QTest::addColumn<QString>("expected");

    QTest::addRow("none") << RunError() << QStringLiteral("no error");
    QTest::addRow("failure") << RunError::failure(QStringLiteral("disk full"))
                             << QStringLiteral("Failure: disk full");
    QTest::addRow("canceled") << RunError::canceled() << QStringLiteral("Canceled");
    QTest::addRow("canceled-message")
        << RunError::canceled(QStringLiteral("bye")) << QStringLiteral("Canceled: bye");
    QTest::addRow("timeout") << RunError::timeout() << QStringLiteral("Timeout");
    QTest::addRow("signal") << RunError::fromSignal(SIGTERM)
                            << QStringLiteral("Signal: Received signal SIGTERM");
    QTest::addRow("exception") << RunError::fromException(
        std::make_exception_ptr(std::runtime_error("boom")))
                               << QStringLiteral("Exception: boom");
    QTest::addRow("unknown-exception")
        << RunError::fromException(std::make_exception_ptr(NotAStdException()))
        << QStringLiteral("Exception: unknown exception");
}

void tst_RunError::toString()
{
    QFETCH(RunError, error);
    QFETCH(QString, expected);
    QCOMPARE(error.toString(), expected);
}

void tst_RunError::variant()
{
    const RunError error = RunError::failure(QStringLiteral("disk full"));
    const QVariant v = QVariant::fromValue(error);
    QVERIFY(v.isValid());
    QCOMPARE(v.metaType(), QMetaType::fromName("RunError"));
    QCOMPARE(QString::fromLatin1(v.typeName()), QStringLiteral("RunError"));
    QVERIFY(v.canConvert<RunError>());
    QCOMPARE(v.value<RunError>(), error);
    QCOMPARE(qvariant_cast<RunError>(v).message(), QStringLiteral("disk full"));

    // The metatype can create and copy values by name, as queued connections do.
    const QMetaType type = QMetaType::fromName("RunError");
    QVERIFY(type.flags().testFlag(QMetaType::NeedsConstruction));
    QVariant byName(type, &error);
    QCOMPARE(byName.value<RunError>(), error);
    QVariant defaultByName(type);
    QCOMPARE(defaultByName.value<RunError>(), RunError());

    // QVariant equality uses RunError's operator==.
    QVERIFY(v == QVariant::fromValue(RunError::failure(QStringLiteral("disk full"))));
    QVERIFY(v != QVariant::fromValue(RunError::failure(QStringLiteral("other"))));

    // An exception survives the round trip.
    const RunError exception =
        RunError::fromException(std::make_exception_ptr(DiskFullError("full")));
    const RunError back = QVariant::fromValue(exception).value<RunError>();
    QVERIFY(back.exception() == exception.exception());
}

void tst_RunError::gadgetProperties_data()
{
    QTest::addColumn<RunError>("error");
    QTest::addColumn<bool>("isError");
    QTest::addColumn<RunError::Kind>("kind");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("signalNumber");

    QTest::addRow("none") << RunError() << false << RunError::Kind::NoError << QString() << 0;
    QTest::addRow("failure") << RunError::failure(QStringLiteral("x")) << true
                             << RunError::Kind::Failure << QStringLiteral("x") << 0;
    QTest::addRow("canceled") << RunError::canceled() << true << RunError::Kind::Canceled
                              << QString() << 0;
    QTest::addRow("timeout") << RunError::timeout(QStringLiteral("t")) << true
                             << RunError::Kind::Timeout << QStringLiteral("t") << 0;
    QTest::addRow("signal") << RunError::fromSignal(SIGTERM) << true << RunError::Kind::Signal
                            << QStringLiteral("Received signal SIGTERM") << int(SIGTERM);
    QTest::addRow("exception") << RunError::fromException(
        std::make_exception_ptr(std::runtime_error("boom")))
                               << true << RunError::Kind::Exception << QStringLiteral("boom") << 0;
}

void tst_RunError::gadgetProperties()
{
    QFETCH(RunError, error);
    QFETCH(bool, isError);
    QFETCH(RunError::Kind, kind);
    QFETCH(QString, message);
    QFETCH(int, signalNumber);

    const QMetaObject &mo = RunError::staticMetaObject;
    for (const char *name : {"isError", "kind", "message", "signalNumber"}) {
        const int index = mo.indexOfProperty(name);
        QVERIFY2(index >= 0, name);
        QVERIFY2(mo.property(index).isReadable(), name);
        QVERIFY2(!mo.property(index).isWritable(), name);
    }
    QCOMPARE(mo.property(mo.indexOfProperty("kind")).isEnumType(), true);

    QCOMPARE(readProperty(error, "isError").toBool(), isError);
    QCOMPARE(readProperty(error, "kind").value<RunError::Kind>(), kind);
    QCOMPARE(readProperty(error, "kind").toInt(), int(kind));
    QCOMPARE(readProperty(error, "message").toString(), message);
    QCOMPARE(readProperty(error, "signalNumber").toInt(), signalNumber);

    // toString() is invokable (QML calls it).
    QVERIFY(mo.indexOfMethod("toString()") >= 0);
}

void tst_RunError::kindIsQEnum()
{
    const QMetaEnum kinds = QMetaEnum::fromType<RunError::Kind>();
    QVERIFY(kinds.isValid());
    QVERIFY(kinds.isScoped());
    QCOMPARE(QString::fromLatin1(kinds.name()), QStringLiteral("Kind"));
    QCOMPARE(QString::fromLatin1(kinds.enclosingMetaObject()->className()),
             QStringLiteral("RunError"));
    QCOMPARE(RunError::staticMetaObject.indexOfEnumerator("Kind") >= 0, true);

    const struct
    {
        const char *key;
        RunError::Kind value;
    } expected[] = {{"NoError", RunError::Kind::NoError},     {"Failure", RunError::Kind::Failure},
                    {"Exception", RunError::Kind::Exception}, {"Signal", RunError::Kind::Signal},
                    {"Canceled", RunError::Kind::Canceled},   {"Timeout", RunError::Kind::Timeout}};
    QCOMPARE(kinds.keyCount(), int(std::size(expected)));
    for (const auto &e : expected) {
        bool ok = false;
        QCOMPARE(kinds.keyToValue(e.key, &ok), int(e.value));
        QVERIFY2(ok, e.key);
    }
    QCOMPARE(kinds.valueToKey(int(RunError::Kind::NoError)), "NoError");
}

void tst_RunError::exitCode()
{
    QCOMPARE(RunError().exitCode(), -1);
    QCOMPARE(RunError::failure(QStringLiteral("x")).exitCode(), -1);
    const RunError config = RunError::failure(QStringLiteral("bad config"), 78);
    QCOMPARE(config.kind(), RunError::Kind::Failure);
    QCOMPARE(config.message(), QStringLiteral("bad config"));
    QCOMPARE(config.exitCode(), 78);
    QCOMPARE(config, RunError::failure(QStringLiteral("bad config")).withExitCode(78));
    QVERIFY(config != RunError::failure(QStringLiteral("bad config")));
    QCOMPARE(config.withExitCode(-1), RunError::failure(QStringLiteral("bad config")));
    QCOMPARE(readProperty(config, "exitCode").toInt(), 78);

    // withExitCode() returns a copy: shared values are left alone.
    const RunError signal = RunError::fromSignal(SIGTERM);
    const RunError withCode = signal.withExitCode(0);
    QCOMPARE(signal.exitCode(), -1);
    QCOMPARE(withCode.exitCode(), 0);
    QCOMPARE(withCode.signalNumber(), SIGTERM);

    QTest::ignoreMessage(QtWarningMsg,
                         "RunError::withExitCode: The exit code must be -1 or 0 to 255");
    QCOMPARE(config.withExitCode(256).exitCode(), 78);
    QTest::ignoreMessage(QtWarningMsg,
                         "RunError::withExitCode: The exit code must be -1 or 0 to 255");
    QCOMPARE(RunError::failure(QStringLiteral("x"), -2).exitCode(), -1);
    for (const int code : {INT_MIN, INT_MAX}) {
        QTest::ignoreMessage(QtWarningMsg,
                             "RunError::withExitCode: The exit code must be -1 or 0 to 255");
        QCOMPARE(config.withExitCode(code).exitCode(), 78);
    }
    QCOMPARE(config.withExitCode(255).exitCode(), 255);
    QCOMPARE(RunGroup::defaultExitCode(config.withExitCode(255)), 255);
}

QTEST_GUILESS_MAIN(tst_RunError)
#include "tst_runerror.moc"
