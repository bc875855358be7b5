// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// A C++ ThreadActor subclass (TestWorker, module RunGroupTest) declared in a QML group.
import QtQuick
import QtTest
import RunGroup
import RunGroupTest

TestCase {
    id: testCase
    name: "ThreadActor"

    readonly property int timeout: 60000

    Component {
        id: group
        RunGroup {
            property alias worker: worker
            property alias ui: ui
            property var log: []
            TestWorker {
                id: worker
                name: "worker"
                onInterrupted: (error) => log.push("worker:" + error.toString())
            }
            Actor {
                id: ui
                name: "ui"
                onInterrupted: (error) => { log.push("ui:" + error.toString()); exit() }
            }
        }
    }

    function test_properties() {
        const g = createTemporaryObject(group, testCase)
        compare(g.count, 2)
        compare(g.worker.name, "worker")
        compare(g.worker.index, 0)
        compare(g.worker.group, g)
        compare(g.worker.failAfter, -1)
        compare(g.worker.running, false)
    }

    function test_stopInterruptsTheWorker() {
        const g = createTemporaryObject(group, testCase)
        g.start()
        verify(g.worker.running)
        g.stop()
        tryCompare(g, "state", RunGroup.Finished, timeout)
        compare(g.worker.interruptCount, 1)
        compare(g.worker.executeCount, 1)
        compare(g.worker.running, false)
        compare(g.worker.error.isError, false)
        compare(g.log, ["worker:Canceled", "ui:Canceled"])
    }

    function test_workerFailure() {
        const g = createTemporaryObject(group, testCase)
        g.worker.failAfter = 0
        g.worker.failMessage = "worker failed"
        g.start()
        tryCompare(g, "state", RunGroup.Finished, timeout)
        compare(g.error.kind, RunError.Failure)
        compare(g.error.message, "worker failed")
        compare(g.worker.error.message, "worker failed")
        compare(g.log, ["worker:Failure: worker failed", "ui:Failure: worker failed"])
        compare(g.worker.interruptCount, 1) // after it returned, as in oklog/run
    }

    function test_workerException() {
        const g = createTemporaryObject(group, testCase)
        g.worker.failAfter = 0
        g.worker.failMessage = "thrown"
        g.worker.throwException = true
        g.start()
        tryCompare(g, "state", RunGroup.Finished, timeout)
        compare(g.error.kind, RunError.Exception)
        compare(g.error.message, "thrown")
    }

    function test_workerReturnsWithoutError() {
        const g = createTemporaryObject(group, testCase)
        g.worker.failAfter = 0
        g.start()
        tryCompare(g, "state", RunGroup.Finished, timeout)
        compare(g.error.isError, false)
        compare(g.log, ["worker:no error", "ui:no error"])
    }

    function test_uiExitInterruptsTheWorker() {
        const g = createTemporaryObject(group, testCase)
        g.start()
        g.ui.exit("closed")
        tryCompare(g, "state", RunGroup.Finished, timeout)
        compare(g.worker.error.isError, false)
        compare(g.error.message, "closed")
        compare(g.worker.interruptCount, 1)
    }

    // Its thread cannot be created (as under ulimit -u): the actor exits with the thread
    // error, never having run, and the run ends with it.
    function test_threadCannotStart() {
        const g = createTemporaryObject(group, testCase)
        TestProbe.failThreadCreations(1)
        try {
            g.start()
            tryCompare(g, "state", RunGroup.Finished, timeout)
        } finally {
            TestProbe.failThreadCreations(0)
        }
        compare(g.error.kind, RunError.Failure)
        verify(g.error.message.startsWith("RunGroup: Cannot start a thread for actor 0: "),
               g.error.message)
        compare(g.worker.error.message, g.error.message)
        compare(g.worker.running, false)
        compare(g.worker.executeCount, 0)
        compare(g.log, ["worker:" + g.error.toString(), "ui:" + g.error.toString()])
    }

    function test_rerun() {
        const g = createTemporaryObject(group, testCase)
        for (let run = 1; run <= 3; ++run) {
            g.start()
            g.stop()
            tryCompare(g, "state", RunGroup.Finished, timeout)
            compare(g.worker.executeCount, run)
            compare(g.worker.interruptCount, run)
        }
    }
}
