// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Runs the Qt Quick Test cases tst_*.qml of this directory. The test module RunGroupTest
// (TestWorker, a C++ ThreadActor subclass) is linked in; "import RunGroup" comes from the
// build tree's QML directory (-import, see CMakeLists.txt).
#include <QtQuickTest/quicktest.h>

QUICK_TEST_MAIN(qml)
