// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Exit policies, restarts and reload from QML: exitPolicy, maxRestarts, restartWindow,
// restartBackoff(Max), restarts, onRestarting, onReload, RunGroup.reload().
import QtQuick
import QtQml.Models
import QtTest
import RunGroup
import RunGroupTest

TestCase {
    id: testCase
    name: "Restarts"

    readonly property int timeout: 60000

    // A worker that fails 20 ms after each start, restarted at most 3 times; the window-like
    // ui actor runs until interrupted.
    Component {
        id: flaky
        RunGroup {
            id: group
            property var log: []
            property alias ui: ui
            property alias worker: worker
            onActorRestarting: (index, error, attempt) => log.push("group:" + index + ":" + attempt)
            onActorExited: (index, error) => log.push("exited:" + actors[index].name)
            Actor { id: ui; name: "ui" }
            TestWorker {
                id: worker
                name: "worker"
                failAfter: 20
                failMessage: "flaky"
                exitPolicy: RunGroup.RestartOnError
                maxRestarts: 3
                restartWindow: 60000
                restartBackoff: 10
                restartBackoffMax: 40
                onRestarting: (error, attempt) => group.log.push(
                    "restarting:" + error.message + ":" + attempt + ":" + running + ":" + restarts)
            }
        }
    }

    // Every actor has a reload handler; done exits cleanly at once and retires
    // (EndRunOnError), so the run goes on without it.
    Component {
        id: reloadable
        RunGroup {
            id: group
            property var log: []
            property alias ui: ui
            property alias worker: worker
            property alias done: done
            onReloading: log.push("reloading")
            onReloaded: log.push("reloaded")
            Actor { id: ui; name: "ui"; onReload: group.log.push("reload:ui") }
            TestWorker { id: worker; name: "worker"; onReload: group.log.push("reload:worker") }
            TestWorker {
                id: done
                name: "done"
                failAfter: 0
                exitPolicy: RunGroup.EndRunOnError
                onReload: group.log.push("reload:done")
            }
        }
    }

    Component {
        id: plain
        RunGroup {
            property alias worker: worker
            TestWorker { id: worker; name: "w" }
        }
    }

    Component {
        id: cannotRestart
        RunGroup {
            property alias ui: ui
            property alias signals: signals
            Actor { id: ui; name: "ui"; exitPolicy: RunGroup.Restart }
            SignalActor { id: signals; exitPolicy: RunGroup.RestartOnError }
        }
    }

    Component {
        id: backoffOrder
        RunGroup {
            property alias worker: worker
            TestWorker { id: worker; name: "w"; restartBackoff: 8000; restartBackoffMax: 5000 }
        }
    }

    Component {
        id: spyComponent
        SignalSpy { }
    }

    function spy(target, signalName) {
        return createTemporaryObject(spyComponent, testCase, {target: target, signalName: signalName})
    }

    function finish(group) {
        if (group.running)
            group.stop()
        tryCompare(group, "state", RunGroup.Finished, timeout)
    }

    function test_defaults() {
        const group = createTemporaryObject(plain, testCase)
        const worker = group.worker
        compare(worker.exitPolicy, RunGroup.EndRun)
        compare(worker.maxRestarts, 5)
        compare(worker.restartWindow, 10000)
        compare(worker.restartBackoff, 100)
        compare(worker.restartBackoffMax, 5000)
        compare(worker.restarts, 0)
        // The enum's values are those of RunGroup::ExitPolicy.
        compare([RunGroup.EndRun, RunGroup.EndRunOnError, RunGroup.RestartOnError, RunGroup.Restart],
                [0, 1, 2, 3])
    }

    function test_flakyWorkerRestartsThenEndsRun() {
        const group = createTemporaryObject(flaky, testCase)
        const restartingSpy = spy(group.worker, "restarting")
        const exitedSpy = spy(group, "actorExited")
        group.start()
        tryCompare(group, "state", RunGroup.Finished, timeout)
        // Three restarts, each reported by the actor and the group, with its attempt; the
        // actor still running meanwhile. The fourth failure ends the run with its error.
        compare(restartingSpy.count, 3)
        compare(group.log, [
            "restarting:flaky:1:true:1", "group:1:1",
            "restarting:flaky:2:true:2", "group:1:2",
            "restarting:flaky:3:true:3", "group:1:3",
            "exited:worker", "exited:ui"])
        compare(group.error.kind, RunError.Failure)
        compare(group.error.message, "flaky")
        compare(group.worker.error.message, "flaky")
        compare(group.worker.restarts, 3)
        compare(group.worker.running, false)
        compare(exitedSpy.count, 2) // once per actor, restarts included
        tryCompare(group.worker, "executeCount", 4, timeout)
        compare(group.actorModel.data(group.actorModel.index(1, 0), Qt.UserRole + 6), 3) // restarts

        // The next run counts anew.
        group.worker.failAfter = -1
        group.start()
        compare(group.worker.restarts, 0)
        finish(group)
        compare(group.worker.restarts, 0)
    }

    function test_restartReadsChangedProperties() {
        // A handler of restarting may change what the next incarnation does: aboutToRun()
        // runs after it, before the restart.
        const group = createTemporaryObject(flaky, testCase)
        group.worker.restarting.connect(() => { group.worker.failAfter = -1 })
        group.start()
        tryCompare(group.worker, "restarts", 1, timeout)
        tryCompare(group.worker, "executeCount", 1, timeout)
        const model = group.actorModel
        tryVerify(() => model.data(model.index(1, 0), Qt.UserRole + 2) === "ready", timeout) // ready once started
        wait(100)
        compare(group.state, RunGroup.Running)
        compare(group.worker.restarts, 1)
        compare(group.worker.executeCount, 1)
        finish(group)
        compare(group.error.kind, RunError.Canceled)
        compare(group.worker.executeCount, 2)
    }

    function test_cleanExitRetires() {
        const group = createTemporaryObject(flaky, testCase)
        group.worker.failMessage = "" // a clean exit retires a RestartOnError actor
        group.start()
        tryCompare(group.worker, "running", false, timeout)
        compare(group.worker.error.isError, false)
        compare(group.worker.restarts, 0)
        compare(group.state, RunGroup.Running) // ui runs on
        compare(group.ui.running, true)
        finish(group)
        compare(group.error.kind, RunError.Canceled)
    }

    function test_reload() {
        const group = createTemporaryObject(reloadable, testCase)
        const reloadedSpy = spy(group, "reloaded")
        group.reload() // not running: ignored
        compare(group.log, [])
        group.start()
        tryCompare(group.done, "running", false, timeout) // retired
        compare(group.state, RunGroup.Running)

        group.reload()
        tryCompare(reloadedSpy, "count", 1, timeout)
        // Each running actor's onReload, on the GUI thread; not the retired one.
        compare(group.log, ["reloading", "reload:ui", "reload:worker", "reloaded"])

        // Requests during a round coalesce into one more round; reloaded() after the last.
        group.log = []
        group.reload()
        group.reload()
        group.reload()
        tryCompare(reloadedSpy, "count", 2, timeout)
        wait(50)
        compare(group.log, ["reloading", "reload:ui", "reload:worker",
                            "reloading", "reload:ui", "reload:worker", "reloaded"])
        finish(group)
        compare(group.error.kind, RunError.Canceled)
        group.log = []
        group.reload() // finished: ignored
        compare(group.log, [])
    }

    function test_cannotRestart() {
        ignoreWarning(/RunGroup::setExitPolicy: actor 0 \(ui\) cannot restart /)
        ignoreWarning(/QML Actor: actor 0 \(ui\): exitPolicy RunGroup.Restart needs an actor that can start again \(a ThreadActor\): this one cannot restart, exitPolicy stays RunGroup.EndRun$/)
        ignoreWarning(/RunGroup::setExitPolicy: actor 1 \(signals\) cannot restart /)
        ignoreWarning(/QML SignalActor: actor 1 \(signals\): exitPolicy RunGroup.RestartOnError needs an actor that can start again \(a ThreadActor\): this one cannot restart, exitPolicy stays RunGroup.EndRun$/)
        const group = createTemporaryObject(cannotRestart, testCase)
        compare(group.ui.exitPolicy, RunGroup.EndRun)
        compare(group.signals.exitPolicy, RunGroup.EndRun)
        // A policy that does not restart suits any actor.
        group.ui.exitPolicy = RunGroup.EndRunOnError
        compare(group.ui.exitPolicy, RunGroup.EndRunOnError)
    }

    function test_badValues() {
        const group = createTemporaryObject(plain, testCase)
        const worker = group.worker
        ignoreWarning(/QML TestWorker: exitPolicy: 7 is not an exit policy \(RunGroup.EndRun, RunGroup.EndRunOnError, RunGroup.RestartOnError or RunGroup.Restart\)$/)
        worker.exitPolicy = 7
        ignoreWarning(/QML TestWorker: exitPolicy: -1 is not an exit policy /)
        worker.exitPolicy = -1
        compare(worker.exitPolicy, RunGroup.EndRun)
        ignoreWarning(/QML TestWorker: maxRestarts must not be negative, not -1$/)
        worker.maxRestarts = -1
        compare(worker.maxRestarts, 5)
        // What the warning prints for each refused value.
        const windows = [[0, "0"], [-5, "-5"], [NaN, "nan"], [Infinity, "inf"],
                         [2147483648, "2147483648"], [0.4, "0\\.4"]]
        for (const [value, text] of windows) {
            ignoreWarning(new RegExp("QML TestWorker: restartWindow must be a number of milliseconds from 1 to 2147483647, not "
                                     + text + "$"))
            worker.restartWindow = value
        }
        compare(worker.restartWindow, 10000)
        for (const [value, text] of [[-1, "-1"], [NaN, "nan"], [2147483648, "2147483648"]]) {
            ignoreWarning(new RegExp("QML TestWorker: restartBackoff must be a number of milliseconds from 0 to 2147483647, not "
                                     + text + "$"))
            worker.restartBackoff = value
            ignoreWarning(new RegExp("QML TestWorker: restartBackoffMax must be a number of milliseconds from 0 to 2147483647, not "
                                     + text + "$"))
            worker.restartBackoffMax = value
        }
        compare(worker.restartBackoff, 100)
        compare(worker.restartBackoffMax, 5000)
        // Rounded to whole milliseconds; 0 is a valid backoff.
        worker.restartWindow = 1.6
        compare(worker.restartWindow, 2)
        worker.restartBackoff = 0
        compare(worker.restartBackoff, 0)
    }

    function test_backoffLongerThanMax() {
        ignoreWarning(/QML TestWorker: actor 0 \(w\): restartBackoff \(8000 ms\) must not be longer than restartBackoffMax \(5000 ms\): the group keeps the previous backoff$/)
        const group = createTemporaryObject(backoffOrder, testCase)
        // Raising the longest backoff makes the pair valid: no warning.
        group.worker.restartBackoffMax = 9000
        compare(group.worker.restartBackoffMax, 9000)
    }

    function test_changeWhileRunning() {
        const group = createTemporaryObject(plain, testCase)
        const worker = group.worker
        group.start()
        const changes = [["exitPolicy", RunGroup.Restart], ["maxRestarts", 1],
                         ["restartWindow", 500], ["restartBackoff", 50],
                         ["restartBackoffMax", 60]]
        for (const [property, value] of changes) {
            ignoreWarning(new RegExp("QML TestWorker: actor 0 \\(w\\): " + property
                                     + " cannot change while its RunGroup is running: ignored$"))
            const before = worker[property]
            worker[property] = value
            compare(worker[property], before, property)
        }
        finish(group)
        // Finished: the changes apply (for the next run).
        for (const [property, value] of changes) {
            worker[property] = value
            compare(worker[property], value, property)
        }
    }
}
