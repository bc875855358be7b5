// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Run by qmltestrunner, which links nothing of RunGroup: "import RunGroup" works only if
// the build tree's qmldir (the top-level one) names a plugin the engine can load.
import QtQuick
import QtTest
import RunGroup

TestCase {
    name: "Plugin"

    RunGroup {
        id: group
        Actor { id: actor; onInterrupted: exit() }
        SignalActor { }
    }

    function test_importedThroughThePlugin() {
        compare(group.count, 2)
        compare(RunGroup.Idle, 0)
        compare(RunError.Failure, 1)
        group.start()
        actor.exit("through the plugin")
        tryCompare(group, "state", RunGroup.Finished, 60000)
        compare(group.error.kind, RunError.Failure)
        compare(group.error.message, "through the plugin")
    }
}
