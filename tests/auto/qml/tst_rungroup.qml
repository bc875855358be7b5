// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// RunGroup in QML: properties, declared running, start/stop, re-running, the empty group,
// running toggled within one frame, destruction while running.
import QtQuick
import QtTest
import RunGroup
import RunGroupTest

TestCase {
    id: testCase
    name: "RunGroup"

    // Generous: the machine may be slow and shared. No test asserts a duration.
    readonly property int timeout: 60000
    property bool handlerRan: false

    Component {
        id: twoActors
        RunGroup {
            property alias first: first
            property alias second: second
            Actor { id: first; name: "first" }
            Actor { id: second; name: "second" }
        }
    }

    Component {
        id: declaredRunning
        RunGroup {
            running: true
            property alias first: first
            Actor { id: first; name: "first" }
            Actor { name: "second" }
        }
    }

    Component {
        id: empty
        RunGroup { }
    }

    Component {
        id: withWorker
        RunGroup {
            running: true
            property alias worker: worker
            TestWorker { id: worker; name: "worker" }
            Actor { name: "ui"; onInterrupted: testCase.handlerRan = true }
        }
    }

    Component {
        id: spyComponent
        SignalSpy { }
    }

    function spy(target, signalName) {
        return createTemporaryObject(spyComponent, testCase, {target: target, signalName: signalName})
    }

    function test_initialState() {
        const group = createTemporaryObject(twoActors, testCase)
        compare(group.state, RunGroup.Idle)
        compare(group.running, false)
        compare(group.count, 2)
        compare(group.actors.length, 2)
        compare(group.error.isError, false)
        compare(group.error.kind, RunError.NoError)
        compare(group.shutdownTimeout, 0)
        compare(group.first.running, false)
    }

    function test_actorsInDeclarationOrder() {
        const group = createTemporaryObject(twoActors, testCase)
        compare(group.actors[0], group.first)
        compare(group.actors[1], group.second)
        compare(group.actorAt(1), group.second)
        compare(group.actorAt(2), null)
        compare(group.first.index, 0)
        compare(group.second.index, 1)
        compare(group.first.group, group)
        compare(group.second.name, "second")
    }

    function test_declaredRunningStartsWhenComplete() {
        const group = createTemporaryObject(declaredRunning, testCase)
        compare(group.count, 2) // both added before the start
        compare(group.state, RunGroup.Running)
        compare(group.running, true)
        compare(group.first.running, true)
        group.stop()
        tryCompare(group, "state", RunGroup.Finished, timeout)
    }

    function test_startAndStop() {
        const group = createTemporaryObject(twoActors, testCase)
        const started = spy(group, "started")
        const finished = spy(group, "finished")
        const exited = spy(group, "actorExited")
        group.start()
        compare(group.state, RunGroup.Running)
        compare(group.running, true)
        compare(started.count, 1)
        compare(group.first.running, true)
        compare(group.second.running, true)
        group.stop()
        // Actors without an interrupted handler exit at once when interrupted.
        tryCompare(finished, "count", 1, timeout)
        compare(group.state, RunGroup.Finished)
        compare(group.running, false)
        compare(exited.count, 2)
        compare(finished.signalArguments[0][0].kind, RunError.Canceled)
        compare(group.error.kind, RunError.Canceled)
        compare(group.first.running, false)
        compare(group.first.error.kind, RunError.NoError)
    }

    function test_errors() {
        const group = createTemporaryObject(twoActors, testCase)
        const changed = spy(group, "errorsChanged")
        compare(group.errors.length, 0)
        group.start()
        compare(group.errors.length, 2)
        compare(group.errors[0].kind, RunError.NoError)
        group.first.exit("first failed")
        tryCompare(group, "running", false, timeout)
        compare(group.errors[0].kind, RunError.Failure)
        compare(group.errors[0].message, "first failed")
        compare(group.errors[1].kind, RunError.NoError)
        verify(changed.count >= 3) // start, then each exit
        group.start() // resets every actor's error
        compare(group.errors[0].kind, RunError.NoError)
        group.stop()
        tryCompare(group, "running", false, timeout)
        compare(group.errors[0].kind, RunError.NoError)
    }

    function test_stopWithReason_data() {
        return [
            {tag: "nothing", reason: undefined, kind: RunError.Canceled, message: ""},
            {tag: "message", reason: "config missing", kind: RunError.Failure, message: "config missing"},
            {tag: "kind Timeout", reason: RunError.Timeout, kind: RunError.Timeout, message: ""},
            {tag: "kind NoError", reason: RunError.NoError, kind: RunError.NoError, message: ""},
        ]
    }

    function test_stopWithReason(data) {
        const group = createTemporaryObject(twoActors, testCase)
        const finished = spy(group, "finished")
        group.start()
        group.stop(data.reason)
        tryCompare(finished, "count", 1, timeout)
        compare(group.error.kind, data.kind)
        compare(group.error.message, data.message)
        compare(finished.signalArguments[0][0].kind, data.kind)
    }

    function test_stopWithRunErrorValue() {
        const group = createTemporaryObject(twoActors, testCase)
        group.start()
        group.first.exit("boom")
        tryCompare(group, "running", false, timeout)
        const previous = group.error
        group.start()
        group.stop(previous)
        tryCompare(group, "running", false, timeout)
        compare(group.error.kind, RunError.Failure)
        compare(group.error.message, "boom")
        compare(group.errors[0].kind, RunError.NoError) // interrupted, not failed
    }

    function test_stopWithBadReason_data() {
        return [
            {tag: "empty message", reason: "",
             warning: "RunGroup.stop: The reason is an empty message; give a message, a runError or a RunError kind"},
            {tag: "signal kind", reason: RunError.Signal,
             warning: "RunGroup.stop: 3 is not a RunError kind a stop can have (NoError, Failure, Canceled or Timeout)"},
            {tag: "out of range", reason: 42,
             warning: "RunGroup.stop: 42 is not a RunError kind a stop can have (NoError, Failure, Canceled or Timeout)"},
            {tag: "object", reason: {kind: 1}, warning: /^RunGroup\.stop: The reason must be a runError, a message or a RunError kind, not a /},
            {tag: "bool", reason: true, warning: /^RunGroup\.stop: The reason must be a runError, a message or a RunError kind, not a bool/},
        ]
    }

    function test_stopWithBadReason(data) {
        const group = createTemporaryObject(twoActors, testCase)
        group.start()
        ignoreWarning(data.warning)
        group.stop(data.reason)
        compare(group.state, RunGroup.Running) // nothing stopped
        group.stop()
        tryCompare(group, "running", false, timeout)
        compare(group.error.kind, RunError.Canceled)
    }

    function test_runningFalseStops() {
        const group = createTemporaryObject(declaredRunning, testCase)
        const finished = spy(group, "finished")
        group.running = false
        compare(group.state, RunGroup.Interrupting)
        tryCompare(finished, "count", 1, timeout)
        compare(group.running, false)
        compare(group.error.kind, RunError.Canceled)
    }

    function test_stateSequence() {
        const group = createTemporaryObject(twoActors, testCase)
        const states = []
        group.stateChanged.connect(() => states.push(group.state))
        group.start()
        group.first.exit()
        tryCompare(group, "state", RunGroup.Finished, timeout)
        compare(states, [RunGroup.Running, RunGroup.Interrupting, RunGroup.Finished])
    }

    function test_rerun() {
        const group = createTemporaryObject(twoActors, testCase)
        const started = spy(group, "started")
        const finished = spy(group, "finished")
        group.start()
        group.first.exit("first run")
        tryCompare(finished, "count", 1, timeout)
        compare(group.error.message, "first run")
        compare(group.first.error.message, "first run")

        group.start()
        compare(started.count, 2)
        compare(group.state, RunGroup.Running)
        compare(group.first.running, true)
        compare(group.first.error.isError, false) // reset by the start
        compare(group.error.message, "first run") // changes only when the run finishes
        group.second.exit()
        tryCompare(finished, "count", 2, timeout)
        compare(group.error.isError, false)
        compare(group.first.error.isError, false)
    }

    function test_emptyGroup() {
        const group = createTemporaryObject(empty, testCase)
        const started = spy(group, "started")
        const finished = spy(group, "finished")
        compare(group.count, 0)
        group.start()
        compare(started.count, 1)
        compare(group.state, RunGroup.Running)
        compare(finished.count, 0) // asynchronously
        tryCompare(finished, "count", 1, timeout)
        compare(group.state, RunGroup.Finished)
        compare(finished.signalArguments[0][0].isError, false)
        group.start() // and again
        tryCompare(finished, "count", 2, timeout)
    }

    function test_emptyGroupDeclaredRunning() {
        const group = createTemporaryQmlObject("import RunGroup; RunGroup { running: true }",
                                               testCase)
        compare(group.running, true)
        tryCompare(group, "state", RunGroup.Finished, timeout)
        compare(group.error.isError, false)
    }

    function test_startWhileRunning() {
        const group = createTemporaryObject(twoActors, testCase)
        const started = spy(group, "started")
        group.start()
        ignoreWarning("RunGroup::start: The group is already running")
        group.start()
        compare(started.count, 1)
        group.stop()
        tryCompare(group, "state", RunGroup.Finished, timeout)
    }

    function test_shutdownTimeout() {
        const group = createTemporaryObject(twoActors, testCase)
        const changed = spy(group, "shutdownTimeoutChanged")
        group.shutdownTimeout = 5000
        compare(group.shutdownTimeout, 5000)
        compare(changed.count, 1)
        ignoreWarning("RunGroup::setShutdownTimeout: The timeout must not be negative")
        group.shutdownTimeout = -1
        compare(group.shutdownTimeout, 5000)
        compare(changed.count, 1)
    }

    // An int property would have wrapped these into int's range first (2^32 + 300 into 300).
    function test_shutdownTimeoutRange_data() {
        return [
            {tag: "INT_MAX", value: 2147483647, result: 2147483647, warning: ""},
            {tag: "rounded", value: 12.6, result: 13, warning: ""},
            {tag: "INT_MAX + 1", value: 2147483648, result: 5000,
             warning: "RunGroup::setShutdownTimeout: The timeout must be at most 2147483647 ms, not 2147483648 ms"},
            {tag: "2^32 + 300", value: 4294967596, result: 5000,
             warning: "RunGroup::setShutdownTimeout: The timeout must be at most 2147483647 ms, not 4294967596 ms"},
            {tag: "-(2^32) + 300", value: -4294966996, result: 5000,
             warning: "RunGroup::setShutdownTimeout: The timeout must not be negative"},
            {tag: "1e300", value: 1e300, result: 5000,
             warning: /QML RunGroup: shutdownTimeout must be a number of milliseconds from 0 to 2147483647, not 1e\+300$/},
            {tag: "Infinity", value: Infinity, result: 5000,
             warning: /QML RunGroup: shutdownTimeout must be a number of milliseconds from 0 to 2147483647, not inf$/},
            {tag: "NaN", value: NaN, result: 5000,
             warning: /QML RunGroup: shutdownTimeout must be a number of milliseconds from 0 to 2147483647, not nan$/},
        ]
    }

    function test_shutdownTimeoutRange(data) {
        const group = createTemporaryObject(twoActors, testCase)
        group.shutdownTimeout = 5000
        if (data.warning !== "")
            ignoreWarning(data.warning)
        group.shutdownTimeout = data.value
        compare(group.shutdownTimeout, data.result)
    }

    // running written true, false, true (and so on) before the event loop runs: the last
    // write wins, every run is complete (one finished per started) and the properties agree.
    function test_runningToggledInOneFrame_data() {
        return [
            {tag: "true false", writes: [true, false], running: false, runs: 1},
            {tag: "true false true", writes: [true, false, true], running: true, runs: 2},
            {tag: "true false true false", writes: [true, false, true, false], running: false,
             runs: 1},
            {tag: "true true false true", writes: [true, true, false, true], running: true,
             runs: 2},
            {tag: "false true", writes: [false, true], running: true, runs: 1},
        ]
    }

    function test_runningToggledInOneFrame(data) {
        const group = createTemporaryObject(twoActors, testCase)
        const started = spy(group, "started")
        const finished = spy(group, "finished")
        for (const value of data.writes)
            group.running = value
        tryVerify(() => finished.count === data.runs - (data.running ? 1 : 0), timeout)
        wait(50) // let a wrongly pending restart or stop show itself
        compare(group.running, data.running)
        compare(started.count, data.runs)
        compare(finished.count, data.runs - (data.running ? 1 : 0))
        compare(group.state, data.running ? RunGroup.Running : RunGroup.Finished)
        compare(group.first.running, data.running)
        compare(group.second.running, data.running)
        group.running = false
        tryCompare(group, "state", RunGroup.Finished, timeout)
        compare(finished.count, started.count)
    }

    function test_runningToggledBeforeComplete() {
        const group = createTemporaryQmlObject(
                "import QtQml; import RunGroup; RunGroup { running: true; Component.onCompleted: { running = false; running = true } Actor {} }",
                testCase)
        compare(group.running, true)
        compare(group.count, 1)
        group.stop()
        tryCompare(group, "state", RunGroup.Finished, timeout)
    }

    // Destroying a running group stops it and joins its workers before anything of it is
    // gone: a worker that only returns when interrupted has returned by then. QML handlers
    // no longer run: the Actor exits without its onInterrupted.
    function test_destroyWhileRunning() {
        const returnedBefore = TestProbe.returnedExecutes()
        failOnWarning(/Destroyed while/)
        let group = withWorker.createObject(testCase)
        verify(group.running)
        tryVerify(() => TestProbe.runningExecutes() === 1, timeout)
        // QObject::destroyed comes after ~RunGroup's own part, before its children go.
        TestProbe.watchDestruction(group)
        group.destroy()
        group = null
        tryVerify(() => TestProbe.runningAtDestruction !== -1, timeout)
        compare(TestProbe.runningAtDestruction, 0)
        compare(TestProbe.returnedExecutes(), returnedBefore + 1)
        verify(!handlerRan)
    }

    Component {
        id: loaderComponent
        Loader { sourceComponent: withWorker }
    }

    // The same when a Loader unloads the group.
    function test_unloadWhileRunning() {
        failOnWarning(/Destroyed while/)
        const loader = createTemporaryObject(loaderComponent, testCase)
        verify(loader.item.running)
        tryVerify(() => TestProbe.runningExecutes() === 1, timeout)
        TestProbe.watchDestruction(loader.item)
        loader.active = false
        tryVerify(() => TestProbe.runningAtDestruction !== -1, timeout)
        compare(TestProbe.runningAtDestruction, 0)
    }
}
