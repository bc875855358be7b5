// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// SignalActor: RunGroup::addSignalHandler as a QML type.
import QtQuick
import QtTest
import RunGroup
import RunGroupTest

TestCase {
    id: testCase
    name: "SignalActor"

    readonly property int timeout: 60000
    readonly property int sigusr1: 10 // Linux

    Component {
        id: withSignals
        RunGroup {
            property alias signals: signals
            property alias ui: ui
            SignalActor { id: signals; signalNumbers: [testCase.sigusr1] }
            Actor { id: ui; name: "ui" }
        }
    }

    Component {
        id: defaults
        SignalActor { }
    }

    function test_defaults() {
        ignoreWarning(/Not inside a RunGroup/)
        const actor = createTemporaryObject(defaults, testCase)
        compare(actor.signalNumbers, [2, 15]) // SIGINT, SIGTERM
        compare(actor.name, "signals")
        wait(0)
    }

    function test_properties() {
        const group = createTemporaryObject(withSignals, testCase)
        compare(group.count, 2)
        compare(group.signals.signalNumbers, [sigusr1])
        compare(group.signals.index, 0)
        compare(group.signals.group, group)
    }

    // The process receives the signal: the actor exits with RunError.Signal.
    function test_signalEndsTheRun() {
        const group = createTemporaryObject(withSignals, testCase)
        group.start()
        TestProbe.raise(sigusr1)
        tryCompare(group, "state", RunGroup.Finished, timeout)
        compare(group.error.kind, RunError.Signal)
        compare(group.error.signalNumber, sigusr1)
        compare(group.error.message, "Received signal SIGUSR1")
        compare(group.signals.error.kind, RunError.Signal)
        compare(group.ui.error.isError, false)
    }

    function test_interruptedExitsWithNoError() {
        const group = createTemporaryObject(withSignals, testCase)
        group.start()
        group.ui.exit("ui failed")
        tryCompare(group, "state", RunGroup.Finished, timeout)
        compare(group.signals.error.isError, false)
        compare(group.signals.running, false)
        compare(group.error.message, "ui failed")
    }

    function test_signalNumbersFixedOnceInGroup() {
        const group = createTemporaryObject(withSignals, testCase)
        ignoreWarning(/QML SignalActor: signalNumbers cannot change once the actor is in its RunGroup$/)
        group.signals.signalNumbers = [2]
        compare(group.signals.signalNumbers, [sigusr1])
    }

    function test_badSignalNumber_data() {
        // 32 and 33: kept by the C library; 11: SIGSEGV, a fault.
        return [{tag: "9", n: 9}, {tag: "32", n: 32}, {tag: "33", n: 33}, {tag: "11", n: 11},
                {tag: "0", n: 0}, {tag: "65", n: 65}]
    }

    // QList<int> wrapped these into int's range (2^32 + 2 into 2, SIGINT) or rounded them.
    function test_signalNumberNotAnInt_data() {
        return [{tag: "2^32 + 2", n: 4294967298, text: "4294967298"},
                {tag: "-(2^32) + 2", n: -4294967294, text: "-4294967294"},
                {tag: "2.7", n: 2.7, text: "2.7"},
                {tag: "NaN", n: NaN, text: "nan"},
                {tag: "Infinity", n: Infinity, text: "inf"}]
    }

    function test_signalNumberNotAnInt(data) {
        ignoreWarning(/QML SignalActor: Not inside a RunGroup: this actor never runs$/)
        const actor = createTemporaryQmlObject("import RunGroup; SignalActor { }", testCase)
        ignoreWarning(new RegExp("QML SignalActor: signalNumbers: " + data.text
                                 + " is not a signal number$"))
        actor.signalNumbers = [10, data.n]
        compare(actor.signalNumbers, [2, 15])
        wait(0)
    }

    function test_badSignalNumber(data) {
        ignoreWarning("RunGroup::addSignalHandler: Cannot handle signal " + data.n)
        ignoreWarning(/QML SignalActor: This actor could not join its RunGroup: ignored$/)
        ignoreWarning(/QML SignalActor: Not inside a RunGroup: this actor never runs$/)
        const group = createTemporaryQmlObject(
                "import RunGroup; RunGroup { SignalActor { signalNumbers: [" + data.n
                + "] } Actor {} }", testCase)
        compare(group.count, 1)
        compare(group.actors.length, 1)
        wait(0)
    }
}
