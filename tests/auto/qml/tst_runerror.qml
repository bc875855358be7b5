// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The runError value type and the enums reachable by name: RunError.Kind, RunGroup.State.
import QtQuick
import QtTest
import RunGroup

TestCase {
    id: testCase
    name: "RunError"

    readonly property int timeout: 60000

    Component {
        id: failing
        RunGroup {
            property alias actor: actor
            Actor { id: actor }
        }
    }

    function test_kindEnum() {
        compare(RunError.NoError, 0)
        compare(RunError.Failure, 1)
        compare(RunError.Exception, 2)
        compare(RunError.Signal, 3)
        compare(RunError.Canceled, 4)
        compare(RunError.Timeout, 5)
    }

    function test_stateEnum() {
        compare(RunGroup.Idle, 0)
        compare(RunGroup.Running, 1)
        compare(RunGroup.Interrupting, 2)
        compare(RunGroup.Finished, 3)
    }

    function test_noError() {
        const group = createTemporaryObject(failing, testCase)
        const error = group.error
        compare(error.isError, false)
        compare(error.kind, RunError.NoError)
        compare(error.message, "")
        compare(error.signalNumber, 0)
        compare(error.toString(), "no error")
    }

    function test_failure() {
        const group = createTemporaryObject(failing, testCase)
        group.start()
        group.actor.exit("broken")
        tryCompare(group, "state", RunGroup.Finished, timeout)
        const error = group.error
        compare(error.isError, true)
        compare(error.kind, RunError.Failure)
        compare(error.message, "broken")
        compare(error.signalNumber, 0)
        compare(error.toString(), "Failure: broken")
        compare(String(error), "Failure: broken")
    }

    function test_canceled() {
        const group = createTemporaryObject(failing, testCase)
        group.start()
        group.stop()
        tryCompare(group, "state", RunGroup.Finished, timeout)
        compare(group.error.kind, RunError.Canceled)
        compare(group.error.isError, true)
        compare(group.error.toString(), "Canceled")
    }

    function test_notCreatable() {
        let failed = false
        try {
            Qt.createQmlObject("import RunGroup; RunError { }", testCase)
        } catch (e) {
            failed = true
        }
        verify(failed)
    }
}
