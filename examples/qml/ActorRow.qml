// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import RunGroup

// One row of the group's actorModel (RunGroup::actorModel()): name, what it is, its state
// (waiting, running, ready, restarting, interrupting, exited; idle before the first run),
// its restarts in this run and its last error. The model updates it on every change.
RowLayout {
    id: row

    required property string name
    required property string state
    required property var error // a runError
    required property int restarts

    readonly property var descriptions: ({
        "window": qsTr("Actor · this window, on the GUI thread"),
        "counter": qsTr("Counter · C++ ThreadActor, a tick every 100 ms"),
        "download": qsTr("Download · C++ ThreadActor, simulated progress"),
        "signals": qsTr("SignalActor · SIGINT, SIGTERM")
    })
    readonly property bool running: state === "running" || state === "ready"
    readonly property bool failed: error !== undefined && error.isError

    spacing: 12

    Rectangle {
        implicitWidth: 10
        implicitHeight: 10
        radius: 5
        color: row.running ? "#1f9d55"
                           : row.state === "restarting" ? "#b45309"
                                                        : row.failed ? "#dc2626" : "#9ca3af"
    }
    Label {
        Layout.preferredWidth: 90
        text: row.name
        font.bold: true
        color: "#111827"
    }
    Label {
        Layout.preferredWidth: 320
        text: row.descriptions[row.name] || ""
        color: "#6b7280"
        elide: Text.ElideRight
    }
    Label {
        Layout.preferredWidth: 80
        text: row.state
        color: row.running ? "#1f9d55" : "#4b5563"
    }
    Label {
        visible: row.restarts > 0
        text: qsTr("%n restart(s)", "", row.restarts)
        color: "#b45309"
    }
    Label {
        Layout.fillWidth: true
        text: row.running && row.restarts === 0 ? "" : (row.error ? row.error.toString() : "")
        color: row.failed ? "#dc2626" : "#6b7280"
        elide: Text.ElideRight
    }
}
