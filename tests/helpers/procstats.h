// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// What this process holds right now, read from /proc (Linux): for tests that check that
// threads and file descriptors return to a baseline.

#pragma once

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QStringList>

// Returns the number of threads of this process.
inline int processThreadCount()
{
    return int(QDir(QStringLiteral("/proc/self/task"))
                   .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                   .size());
}

// Returns the number of open file descriptors of this process (the one used to list
// them included).
inline int processFdCount()
{
    return int(QDir(QStringLiteral("/proc/self/fd"))
                   .entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot)
                   .size());
}

// Returns what each open file descriptor refers to ("3 -> anon_inode:[eventfd]", …): for
// the message of a failed fd count check.
inline QStringList processFdTargets()
{
    QStringList result;
    const QDir dir(QStringLiteral("/proc/self/fd"));
    for (const QString &name :
         dir.entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot)) {
        result.append(name + QStringLiteral(" -> ")
                      + QFileInfo(dir.filePath(name)).symLinkTarget());
    }
    return result;
}
