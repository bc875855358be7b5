// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import RunGroup

// One actor of the group: name, what it is, running or exited, its restarts in this run
// (an actor with a restarting exitPolicy), and its last error.
RowLayout {
    id: row

    required property var modelData // the actor (Actor, SignalActor or a ThreadActor)

    readonly property var descriptions: ({
        "window": qsTr("Actor · this window, on the GUI thread"),
        "counter": qsTr("Counter · C++ ThreadActor, a tick every 100 ms"),
        "download": qsTr("Download · C++ ThreadActor, simulated progress"),
        "signals": qsTr("SignalActor · SIGINT, SIGTERM")
    })
    readonly property bool idle: !modelData.group || modelData.group.state === RunGroup.Idle
    readonly property string stateText: modelData.running ? qsTr("running")
                                                          : idle ? qsTr("idle") : qsTr("exited")

    spacing: 12

    Rectangle {
        implicitWidth: 10
        implicitHeight: 10
        radius: 5
        color: row.modelData.running ? "#1f9d55"
                                     : row.modelData.error.isError ? "#dc2626" : "#9ca3af"
    }
    Label {
        Layout.preferredWidth: 90
        text: row.modelData.name
        font.bold: true
        color: "#111827"
    }
    Label {
        Layout.preferredWidth: 320
        text: row.descriptions[row.modelData.name] || ""
        color: "#6b7280"
        elide: Text.ElideRight
    }
    Label {
        Layout.preferredWidth: 60
        text: row.stateText
        color: row.modelData.running ? "#1f9d55" : "#4b5563"
    }
    Label {
        visible: row.modelData.restarts > 0
        text: qsTr("%n restart(s)", "", row.modelData.restarts)
        color: "#b45309"
    }
    Label {
        Layout.fillWidth: true
        text: row.modelData.running && row.modelData.restarts === 0
              ? "" : row.modelData.error.toString()
        color: row.modelData.error.isError ? "#dc2626" : "#6b7280"
        elide: Text.ElideRight
    }
}
