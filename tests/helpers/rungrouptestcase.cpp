// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "rungrouptestcase.h"

#include <QtCore/QMetaType>
#include <QtCore/QRegularExpression>
#include <QtTest/QTest>

void RunGroupTestCase::initTestCase()
{
    QVERIFY(QMetaType::fromName("RunError").isValid());
}

void RunGroupTestCase::init()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
}
