// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Ordered start and stop from QML: after, requiresReady, ready, markReady(), actorModel.
import QtQuick
import QtQml.Models
import QtTest
import RunGroup
import RunGroupTest

TestCase {
    id: testCase
    name: "Ordering"

    readonly property int timeout: 60000

    // storage must be marked ready; web starts after it. web's interrupt takes a while, so
    // storage's interrupt, if it came in add order, would come first.
    Component {
        id: ordered
        RunGroup {
            id: group
            property var log: []
            property alias storage: storage
            property alias web: web
            property Timer drain: Timer { interval: 50; onTriggered: web.exit() }
            onActorStarted: (index) => log.push("started:" + actors[index].name)
            onActorReady: (index) => log.push("ready:" + actors[index].name)
            onActorExited: (index, error) => log.push("exited:" + actors[index].name)
            Actor {
                id: storage; name: "storage"; requiresReady: true
                onInterrupted: { group.log.push("interrupt:storage"); exit() }
            }
            Actor {
                id: web; name: "web"; after: [storage]
                onInterrupted: { group.log.push("interrupt:web"); group.drain.start() }
            }
        }
    }

    // A ThreadActor that marks itself ready from its own thread, and an actor after it.
    Component {
        id: threaded
        RunGroup {
            property alias worker: worker
            property alias web: web
            TestWorker { id: worker; name: "worker"; requiresReady: true; markReadyAfter: 50 }
            Actor { id: web; name: "web"; after: [worker] }
        }
    }

    // after naming an actor declared later; a SignalActor has after too.
    Component {
        id: forward
        RunGroup {
            property alias first: first
            property alias second: second
            property alias signals: signals
            Actor { id: first; name: "first"; after: [second] }
            Actor { id: second; name: "second" }
            SignalActor { id: signals; after: [first, second] }
        }
    }

    // The rows of a model, as objects with the roles as properties.
    Component {
        id: rowsComponent
        Instantiator {
            delegate: QtObject {
                required property string name
                required property string state
                required property var dependencies
                required property var error
            }
        }
    }

    Component {
        id: spyComponent
        SignalSpy { }
    }

    Component {
        id: lone
        Actor { }
    }

    function spy(target, signalName) {
        return createTemporaryObject(spyComponent, testCase, {target: target, signalName: signalName})
    }

    function rows(model) {
        return createTemporaryObject(rowsComponent, testCase, {model: model})
    }

    function finish(group) {
        if (group.running)
            group.stop()
        tryCompare(group, "state", RunGroup.Finished, timeout)
    }

    function test_defaults() {
        const group = createTemporaryObject(ordered, testCase)
        compare(group.storage.requiresReady, true)
        compare(group.web.requiresReady, false)
        compare(group.web.after.length, 1)
        compare(group.web.after[0], group.storage)
        compare(group.storage.after.length, 0)
        compare(group.storage.ready, false)
        compare(group.storage.started, false)
        compare(group.startupTimeout, 0)
        verify(group.actorModel)
    }

    function test_webWaitsForStorage() {
        const group = createTemporaryObject(ordered, testCase)
        const model = rows(group.actorModel)
        compare(model.count, 2)
        compare(model.objectAt(1).dependencies, [0])
        const readySpy = spy(group.storage, "readyChanged")
        group.start()
        compare(group.storage.started, true)
        compare(group.storage.ready, false)
        compare(group.web.started, false)
        compare(group.web.running, true) // running from the group's start, started later
        compare(model.objectAt(0).state, "running")
        compare(model.objectAt(1).state, "waiting")
        compare(group.log, ["started:storage"])
        wait(100)
        compare(group.web.started, false)

        group.storage.markReady()
        compare(group.storage.ready, true)
        compare(readySpy.count, 1)
        compare(group.web.started, true)
        compare(group.web.ready, true)
        compare(model.objectAt(0).state, "ready")
        compare(model.objectAt(1).state, "ready")
        compare(group.log, ["started:storage", "ready:storage", "started:web", "ready:web"])

        // Reverse order: storage is interrupted only once web has exited.
        group.log = []
        group.stop()
        tryCompare(group, "state", RunGroup.Finished, timeout)
        compare(group.log, ["interrupt:web", "exited:web", "interrupt:storage", "exited:storage"])
        compare(model.objectAt(1).state, "exited")
        compare(group.storage.ready, true) // until the next run

        // The next run starts anew: nothing ready, web waiting again.
        group.start()
        compare(group.storage.ready, false)
        compare(group.web.ready, false)
        compare(group.web.started, false)
        compare(readySpy.count, 2)
        group.stop()
        tryCompare(group, "state", RunGroup.Finished, timeout)
        compare(group.web.error.kind, RunError.Canceled) // it never started
    }

    function test_markReadyFromThread() {
        const group = createTemporaryObject(threaded, testCase)
        group.start()
        compare(group.web.started, false)
        tryCompare(group.worker, "ready", true, timeout)
        compare(group.web.started, true)
        finish(group)
        compare(group.error.kind, RunError.Canceled)
    }

    function test_actorModel() {
        const group = createTemporaryObject(ordered, testCase)
        const model = group.actorModel
        compare(model.rowCount(), 2)
        compare(model.data(model.index(0, 0), Qt.UserRole + 1), "storage") // name
        compare(model.data(model.index(1, 0), Qt.UserRole + 2), "idle") // state
        const objects = rows(model)
        compare(objects.objectAt(0).name, "storage")
        compare(objects.objectAt(1).name, "web")
        compare(objects.objectAt(0).state, "idle")
        compare(objects.objectAt(0).dependencies, [])
        compare(objects.objectAt(1).dependencies, [0])
        compare(objects.objectAt(0).error.isError, false)
        compare(group.actorModel, model) // CONSTANT
    }

    function test_afterLaterActor() {
        const group = createTemporaryObject(forward, testCase)
        const model = rows(group.actorModel)
        compare(model.objectAt(0).dependencies, [1])
        compare(model.objectAt(2).dependencies, [0, 1])
        group.start()
        compare(group.first.started, true) // second is ready once started
        compare(group.second.started, true)
        compare(group.signals.started, true)
        compare(group.signals.ready, true)
        finish(group)
    }

    function test_badEntries() {
        ignoreWarning(/QML Actor: actor 1 \(web\): after: entry 0 is not an actor \(QQmlTimer\): ignored$/)
        ignoreWarning(/QML Actor: actor 1 \(web\): after: entry 2, actor (0 \()?o\)?, is not an actor of this RunGroup: ignored$/)
        const root = createTemporaryQmlObject(
                "import QtQuick; import RunGroup; Item { property alias group: g; "
                + "Timer { id: t } RunGroup { Actor { id: o; name: 'o' } } "
                + "RunGroup { id: g; Actor { id: a; name: 'a' } Actor { name: 'web'; after: [t, a, o] } } }",
                testCase)
        const group = root.group
        compare(group.count, 2)
        const model = rows(group.actorModel)
        compare(model.objectAt(1).dependencies, [0]) // the actor entry still counts
        group.start()
        compare(group.actorAt(1).started, true)
        finish(group)
    }

    function test_nullEntry() {
        const group = createTemporaryObject(ordered, testCase)
        ignoreWarning(/QML Actor: actor 1 \(web\): after: entry 0 is null: ignored$/)
        group.web.after = [null, group.storage]
        const model = rows(group.actorModel)
        tryCompare(model.objectAt(1), "dependencies", [0], timeout)
        wait(0) // the queued apply has run
        compare(group.web.after.length, 2)
    }

    function test_cycle() {
        ignoreWarning(/RunGroup::setDependencies: actor 1 \(b\) cannot depend on actor 0 \(a\), which depends on it: that would make a cycle$/)
        const group = createTemporaryQmlObject(
                "import QtQuick; import RunGroup; RunGroup { "
                + "Actor { id: a; name: 'a'; after: [b] } Actor { id: b; name: 'b'; after: [a] } }",
                testCase)
        const model = rows(group.actorModel)
        compare(model.objectAt(0).dependencies, [1])
        compare(model.objectAt(1).dependencies, []) // refused: unchanged
        // Still runs: a after b.
        group.start()
        compare(group.actorAt(0).started, true)
        finish(group)
        // Breaking the cycle from a's side lets b's after apply.
        group.actorAt(0).after = []
        tryCompare(model.objectAt(1), "dependencies", [0], timeout)
        compare(model.objectAt(0).dependencies, [])
    }

    function test_selfDependency() {
        ignoreWarning(/RunGroup::setDependencies: actor 0 \(self\) cannot depend on itself$/)
        const group = createTemporaryQmlObject(
                "import QtQuick; import RunGroup; RunGroup { Actor { id: s; name: 'self'; after: [s] } }",
                testCase)
        compare(group.actorModel.data(group.actorModel.index(0, 0), Qt.UserRole + 4), [])
        group.start()
        finish(group)
    }

    function test_changeWhileRunning() {
        const group = createTemporaryObject(ordered, testCase)
        const model = rows(group.actorModel)
        group.start()
        ignoreWarning(/QML Actor: actor 1 \(web\): after changed while its RunGroup is running: the change applies from the next run$/)
        group.web.after = []
        compare(group.web.after.length, 0)
        compare(model.objectAt(1).dependencies, [0]) // this run keeps it
        compare(group.web.started, false)
        group.storage.markReady()
        compare(group.web.started, true)
        group.stop()
        tryCompare(group, "state", RunGroup.Finished, timeout)
        compare(model.objectAt(1).dependencies, []) // applied once finished
        group.start()
        compare(group.web.started, true) // no longer waits for storage
        finish(group)
    }

    function test_requiresReadyIsFixed() {
        const group = createTemporaryObject(ordered, testCase)
        ignoreWarning(/QML Actor: requiresReady cannot change once the actor is in its RunGroup$/)
        group.storage.requiresReady = false
        compare(group.storage.requiresReady, true)
        group.start()
        compare(group.storage.ready, false)
        finish(group)
    }

    function test_markReadyWarnings() {
        const group = createTemporaryObject(ordered, testCase)
        ignoreWarning(/RunGroup::markReady: The group is not running$/)
        group.storage.markReady()
        group.start()
        ignoreWarning(/RunGroup::markReady: actor 1 \(web\) does not require readiness \(it is ready once started\)$/)
        group.web.markReady()
        group.storage.markReady()
        ignoreWarning(/RunGroup::markReady: actor 0 \(storage\) is already ready$/)
        group.storage.markReady()
        finish(group)
        ignoreWarning(/RunGroup::markReady: The group is not running$/)
        group.storage.markReady()

        ignoreWarning(/QML Actor: Not inside a RunGroup: this actor never runs$/)
        ignoreWarning(/QML Actor: markReady\(\) ignored: this actor is not inside a RunGroup$/)
        const actor = createTemporaryObject(lone, testCase)
        actor.markReady()
        wait(0)
    }

    function test_startupTimeout() {
        const group = createTemporaryObject(ordered, testCase)
        const changed = spy(group, "startupTimeoutChanged")
        group.startupTimeout = 100
        compare(group.startupTimeout, 100)
        compare(changed.count, 1)
        ignoreWarning(/QML RunGroup: startupTimeout must be a number of milliseconds from 0 to 2147483647, not -1$/)
        group.startupTimeout = -1
        ignoreWarning(/QML RunGroup: startupTimeout must be a number of milliseconds from 0 to 2147483647, not 4294967396$/)
        group.startupTimeout = 4294967396
        compare(group.startupTimeout, 100)
        compare(changed.count, 1)
        group.start()
        tryCompare(group, "state", RunGroup.Finished, timeout)
        compare(group.error.kind, RunError.Timeout)
        compare(group.web.started, false)
    }

    function test_drainDelay() {
        const group = createTemporaryObject(ordered, testCase)
        const changed = spy(group, "drainDelayChanged")
        compare(group.drainDelay, 0)
        group.drainDelay = 250
        compare(group.drainDelay, 250)
        compare(changed.count, 1)
        group.drainDelay = 250
        compare(changed.count, 1)
        ignoreWarning(/QML RunGroup: drainDelay must be a number of milliseconds from 0 to 2147483647, not -1$/)
        group.drainDelay = -1
        ignoreWarning(/QML RunGroup: drainDelay must be a number of milliseconds from 0 to 2147483647, not 4294967396$/)
        group.drainDelay = 4294967396
        ignoreWarning(/QML RunGroup: drainDelay must be a number of milliseconds from 0 to 2147483647, not nan$/)
        group.drainDelay = NaN
        compare(group.drainDelay, 250)
        compare(changed.count, 1)
    }
}
