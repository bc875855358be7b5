// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Actor: an event-driven actor on the GUI thread that runs until exit() / exit(message).
import QtQuick
import QtTest
import RunGroup

TestCase {
    id: testCase
    name: "Actor"

    readonly property int timeout: 60000

    // Three actors that log their interrupts and exit from the handler.
    Component {
        id: logged
        RunGroup {
            id: group
            property var log: []
            property alias a: a
            property alias b: b
            property alias c: c
            Actor {
                id: a; name: "a"
                onInterrupted: (error) => { group.log.push("a:" + error.toString()); exit() }
            }
            Actor {
                id: b; name: "b"
                onInterrupted: (error) => { group.log.push("b:" + error.toString()); exit() }
            }
            Actor {
                id: c; name: "c"
                onInterrupted: (error) => { group.log.push("c:" + error.toString()); exit() }
            }
        }
    }

    // An actor whose interrupt takes a while: it exits from a timer.
    Component {
        id: slowExit
        RunGroup {
            property alias slow: slow
            property alias quick: quick
            Actor {
                id: slow
                onInterrupted: later.start()
            }
            Actor { id: quick }
            Timer { id: later; interval: 10; onTriggered: slow.exit("late") }
        }
    }

    Component {
        id: lone
        Actor { }
    }

    Component {
        id: spyComponent
        SignalSpy { }
    }

    function spy(target, signalName) {
        return createTemporaryObject(spyComponent, testCase, {target: target, signalName: signalName})
    }

    function test_properties() {
        const group = createTemporaryObject(logged, testCase)
        compare(group.a.name, "a")
        compare(group.b.index, 1)
        compare(group.c.group, group)
        compare(group.a.running, false)
        compare(group.a.error.isError, false)
        const running = spy(group.a, "runningChanged")
        group.start()
        compare(group.a.running, true)
        compare(running.count, 1)
        group.a.exit()
        compare(group.a.running, false)
        tryCompare(group, "state", RunGroup.Finished, timeout)
        compare(running.count, 2)
    }

    function test_exitWithoutMessage() {
        const group = createTemporaryObject(logged, testCase)
        const exited = spy(group, "actorExited")
        const finished = spy(group, "finished")
        group.start()
        group.b.exit()
        compare(exited.count, 1) // at once, from exit()
        compare(exited.signalArguments[0][0], 1)
        compare(exited.signalArguments[0][1].isError, false)
        compare(group.state, RunGroup.Interrupting)
        tryCompare(finished, "count", 1, timeout)
        compare(group.error.isError, false)
        compare(group.error.kind, RunError.NoError)
        compare(group.b.error.kind, RunError.NoError)
        compare(exited.count, 3)
    }

    function test_exitWithMessage() {
        const group = createTemporaryObject(logged, testCase)
        const finished = spy(group, "finished")
        const exited = spy(group.c, "exited")
        group.start()
        group.c.exit("disk full")
        compare(exited.count, 1)
        compare(exited.signalArguments[0][0].message, "disk full")
        tryCompare(finished, "count", 1, timeout)
        const error = finished.signalArguments[0][0]
        compare(error.isError, true)
        compare(error.kind, RunError.Failure)
        compare(error.message, "disk full")
        compare(error.toString(), "Failure: disk full")
        compare(group.error.message, "disk full")
        compare(group.c.error.kind, RunError.Failure)
        compare(group.a.error.kind, RunError.NoError) // exited from its interrupt
    }

    // Every actor is interrupted once, in declaration order, with the first error: the
    // one that exited first included.
    function test_interruptOrder() {
        const group = createTemporaryObject(logged, testCase)
        group.start()
        group.b.exit("b failed")
        tryCompare(group, "state", RunGroup.Finished, timeout)
        compare(group.log, ["a:Failure: b failed", "b:Failure: b failed", "c:Failure: b failed"])
    }

    function test_interruptOrderOnStop() {
        const group = createTemporaryObject(logged, testCase)
        group.start()
        group.stop()
        tryCompare(group, "state", RunGroup.Finished, timeout)
        compare(group.log, ["a:Canceled", "b:Canceled", "c:Canceled"])
    }

    function test_interruptedOncePerRun() {
        const group = createTemporaryObject(logged, testCase)
        const interrupted = spy(group.a, "interrupted")
        group.start()
        group.a.exit()
        tryCompare(group, "state", RunGroup.Finished, timeout)
        compare(interrupted.count, 1)
        group.start()
        group.stop()
        tryCompare(group, "state", RunGroup.Finished, timeout)
        compare(interrupted.count, 2)
    }

    function test_exitLaterFromInterrupt() {
        const group = createTemporaryObject(slowExit, testCase)
        const finished = spy(group, "finished")
        group.start()
        group.quick.exit()
        compare(group.state, RunGroup.Interrupting)
        verify(group.slow.running)
        tryCompare(finished, "count", 1, timeout)
        compare(group.slow.error.message, "late")
        compare(group.error.isError, false) // quick's exit came first
    }

    function test_exitTwiceIgnored() {
        const group = createTemporaryObject(slowExit, testCase)
        const exited = spy(group, "actorExited")
        group.start()
        group.quick.exit("first")
        group.quick.exit("second")
        tryCompare(group, "state", RunGroup.Finished, timeout)
        compare(group.quick.error.message, "first")
        compare(group.error.message, "first")
        compare(exited.count, 2) // one per actor
    }

    function test_exitAfterFinishIgnored() {
        const group = createTemporaryObject(logged, testCase)
        const exited = spy(group, "actorExited")
        group.start()
        group.a.exit()
        tryCompare(group, "state", RunGroup.Finished, timeout)
        group.a.exit("late")
        group.b.exit("late")
        compare(exited.count, 3)
        compare(group.state, RunGroup.Finished)
        compare(group.a.error.isError, false)
        compare(group.error.isError, false)
    }

    function test_exitBeforeStartIgnored() {
        const group = createTemporaryObject(logged, testCase)
        const exited = spy(group, "actorExited")
        group.a.exit("too early")
        compare(exited.count, 0)
        compare(group.state, RunGroup.Idle)
        group.start()
        compare(group.state, RunGroup.Running)
        group.stop()
        tryCompare(group, "state", RunGroup.Finished, timeout)
        compare(group.error.kind, RunError.Canceled)
    }

    function test_withoutGroup() {
        ignoreWarning(/QML Actor: Not inside a RunGroup: this actor never runs$/)
        const actor = createTemporaryObject(lone, testCase)
        compare(actor.group, null)
        compare(actor.index, -1)
        wait(0) // the check runs once creation is over
        ignoreWarning(/QML Actor: exit\(\) ignored: this actor is not inside a RunGroup$/)
        actor.exit()
        compare(actor.running, false)
    }
}
