// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_EXAMPLE_DOWNLOAD_H
#define RUNGROUP_EXAMPLE_DOWNLOAD_H

#include "sleeper.h"

#include <RunGroupQml/ThreadActor>

#include <QtQml/qqml.h>

// A simulated download on a worker thread: files of fileSize bytes at speed bytes per
// second, one after another, reporting progress to the GUI thread.
class Download : public ThreadActor
{
    Q_OBJECT
    Q_PROPERTY(qint64 fileSize MEMBER m_fileSize NOTIFY fileSizeChanged)
    Q_PROPERTY(qint64 speed MEMBER m_speed NOTIFY speedChanged)
    // Progress of the current file, 0 to 1, and the number of files done (GUI thread).
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged)
    Q_PROPERTY(int files READ files NOTIFY progressChanged)
    QML_ELEMENT

public:
    explicit Download(QObject *parent = nullptr);

    double progress() const { return m_progress; }
    int files() const { return m_files; }

Q_SIGNALS:
    void fileSizeChanged();
    void speedChanged();
    void progressChanged();

protected:
    void aboutToRun() override;
    RunError execute() override;
    void interrupt(const RunError &error) override;

private:
    void report(double progress, int files);

    qint64 m_fileSize = 48 << 20;
    qint64 m_speed = 16 << 20;
    double m_progress = 0;
    int m_files = 0;
    qint64 m_runFileSize = 0;
    qint64 m_runSpeed = 0;
    Sleeper m_sleeper;
};

#endif // RUNGROUP_EXAMPLE_DOWNLOAD_H
