// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUPQML_SIGNALACTOR_P_H
#define RUNGROUPQML_SIGNALACTOR_P_H

#include <RunGroupQml/rungroupactor.h>

#include <QtCore/QList>

// QML: SignalActor { signalNumbers: [2, 15] } — RunGroup::addSignalHandler as a type. It
// exits with RunError.Signal when the process receives one of the signals, and with no
// error when interrupted.
class SignalActor : public RunGroupActor
{
    Q_OBJECT
    // Default [SIGINT, SIGTERM]. Read when the actor joins its group; fixed from then on.
    // Numbers, not ints: QML would wrap a larger value into int's range (2^32 + 2 into 2,
    // SIGINT) and round a fraction before the setter could refuse it. A value that is not a
    // whole number within int's range: warning, unchanged.
    Q_PROPERTY(QList<double> signalNumbers READ signalNumbers WRITE setSignalNumbers NOTIFY
                   signalNumbersChanged)
    QML_ELEMENT

public:
    explicit SignalActor(QObject *parent = nullptr);

    QList<double> signalNumbers() const;
    void setSignalNumbers(const QList<double> &signalNumbers);

Q_SIGNALS:
    void signalNumbersChanged();

private:
    int addTo(RunGroup *group) override;

    QList<int> m_signalNumbers;
};

#endif // RUNGROUPQML_SIGNALACTOR_P_H
