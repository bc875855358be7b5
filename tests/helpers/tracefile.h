// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#ifndef RUNGROUP_TESTS_TRACEFILE_H
#define RUNGROUP_TESTS_TRACEFILE_H

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QString>

// Reads a RunGroup trace file: the trace-event format's JSON array, written event by event,
// one per line, each followed by a comma, and left unterminated as that format allows (so
// that a killed process leaves a loadable file). Returns its events, or an empty array if
// the file is missing or not in that form.
inline QJsonArray readTrace(const QString &fileName)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArray text = file.readAll().trimmed();
    if (!text.startsWith('[') || !text.endsWith(','))
        return {};
    text.chop(1);
    return QJsonDocument::fromJson(text + ']').array();
}

#endif // RUNGROUP_TESTS_TRACEFILE_H
