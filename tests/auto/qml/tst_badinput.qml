// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// What RunGroup does with children that are not actors and with actors that cannot join.
import QtQuick
import QtTest
import RunGroup

TestCase {
    id: testCase
    name: "BadInput"

    readonly property int timeout: 60000

    Component {
        id: running
        RunGroup {
            running: true
            Actor { }
        }
    }

    Component {
        id: actorComponent
        Actor { }
    }

    function test_nonActorChildren() {
        ignoreWarning(/QML Timer: RunGroup ignores this child \(QQmlTimer\): it is not an actor \(Actor, SignalActor or a ThreadActor\)$/)
        ignoreWarning(/QML Item: RunGroup ignores this child \(QQuickItem\): it is not an actor \(Actor, SignalActor or a ThreadActor\)$/)
        ignoreWarning(/QML QtObject: RunGroup ignores this child \(QObject\): it is not an actor \(Actor, SignalActor or a ThreadActor\)$/)
        const group = createTemporaryQmlObject(
                "import QtQuick; import RunGroup; RunGroup { Timer {} Actor { name: 'a' } Item {} QtObject {} Actor { name: 'b' } }",
                testCase)
        compare(group.count, 2)
        compare(group.actors.length, 2)
        compare(group.actors[1].name, "b")
        compare(group.actors[1].index, 1)
        group.start()
        group.stop()
        tryCompare(group, "state", RunGroup.Finished, timeout)
    }

    function test_addWhileRunning() {
        const group = createTemporaryObject(running, testCase)
        ignoreWarning(/QML Actor: Not inside a RunGroup: this actor never runs$/)
        const actor = createTemporaryObject(actorComponent, testCase)
        ignoreWarning(/QML Actor: Cannot add an actor while its RunGroup is running: ignored$/)
        group.actors.push(actor)
        compare(group.count, 1)
        compare(actor.group, null)
        group.stop()
        tryCompare(group, "state", RunGroup.Finished, timeout)
    }

    function test_addAfterFinished() {
        const group = createTemporaryObject(running, testCase)
        group.stop()
        tryCompare(group, "state", RunGroup.Finished, timeout)
        const actor = createTemporaryObject(actorComponent, testCase)
        group.actors.push(actor) // joins: a finished group accepts actors
        compare(group.count, 2)
        compare(actor.index, 1)
        group.start()
        actor.exit("added later")
        tryCompare(group, "state", RunGroup.Finished, timeout)
        compare(group.error.message, "added later")
    }

    function test_actorInTwoGroups() {
        const first = createTemporaryObject(running, testCase)
        const second = createTemporaryQmlObject("import RunGroup; RunGroup { }", testCase)
        const actor = first.actors[0]
        ignoreWarning(/QML Actor: This actor already belongs to a RunGroup: ignored$/)
        second.actors.push(actor)
        compare(second.count, 0)
        compare(actor.group, first)
    }
}
