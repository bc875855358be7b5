// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The consumer's QML: a RunGroup from the installed module with the consumer's own
// ThreadActor subclass. The package test runs it, and runs qmllint on it: every binding
// here, the inherited ones (Worker's name) included, must be known to the tools.
import QtQml
import RunGroup
import Consumer

RunGroup {
    id: group
    running: true

    Worker {
        name: "worker"
        message: "worker: done"
    }
    Actor {
        id: ui
        name: "ui"
        onInterrupted: ui.exit()
    }

    onFinished: (error) => {
        console.info("qml consumer: " + error.toString())
        Qt.exit(error.kind === RunError.Failure ? 0 : 1)
    }
}
