// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// One RunGroup holds the window's lifetime (Actor "window"), two worker threads (Counter
// and Download, C++ ThreadActor subclasses) and a SignalActor. Whichever ends first ends
// them all: closing the window stops the workers; a failing worker shows its error, then
// closes the window; Ctrl+C in the terminal closes everything. Stop and Start re-run it.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import RunGroup
import RunGroupExample

ApplicationWindow {
    id: window

    required property int failAfter  // --fail-after: the counter fails after that many ms
    required property int closeAfter // --close-after: close the window after that many ms

    property bool quitting: false // the window was closed: quit once the group finished
    property string failure: ""   // the error a worker failed with

    readonly property var stateNames: ["Idle", "Running", "Interrupting", "Finished"]
    readonly property var stateColors: ["#8a94a6", "#1f9d55", "#d97706", "#64748b"]

    width: 820
    height: 500
    visible: true
    title: qsTr("RunGroup · QML example")
    color: "#eef1f6"

    function exitCode(error) {
        return error.isError && error.kind !== RunError.Signal && error.kind !== RunError.Canceled
                ? 1 : 0
    }

    onClosing: (close) => {
        if (group.running) {
            // Keep the window until every actor has exited; the group then quits.
            close.accepted = false
            window.quitting = true
            ui.exit()
        }
    }

    RunGroup {
        id: group
        running: true

        onFinished: (error) => {
            console.info("finished: " + error.toString())
            if (window.quitting)
                Qt.exit(window.exitCode(error))
        }

        Actor {
            id: ui
            name: "window"
            onInterrupted: (error) => {
                switch (error.kind) {
                case RunError.Failure:
                case RunError.Exception:
                case RunError.Timeout:
                    window.failure = error.toString()
                    closeTimer.start() // show it, then close: the window exits on closing
                    break
                case RunError.Signal:
                    window.close()
                    break
                default: // Stop, or the window closed itself
                    exit()
                }
            }
        }
        Counter {
            id: counter
            name: "counter"
            interval: 100
            failAfter: window.failAfter
        }
        Download {
            id: download
            name: "download"
        }
        SignalActor {
            signalNumbers: [2, 15]
        }
    }

    Timer {
        id: closeTimer
        interval: 3000
        onTriggered: window.close()
    }

    Timer {
        running: window.closeAfter > 0
        interval: Math.max(1, window.closeAfter)
        onTriggered: window.close()
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 24
        spacing: 18

        // Title, the group's state and the Stop / Start button.
        RowLayout {
            Layout.fillWidth: true
            spacing: 14

            ColumnLayout {
                Layout.fillWidth: true
                spacing: 2
                Label {
                    text: qsTr("RunGroup")
                    font.pixelSize: 26
                    font.bold: true
                    color: "#111827"
                }
                Label {
                    Layout.fillWidth: true
                    text: qsTr("A window, two worker threads and a signal handler, run as one.")
                    font.pixelSize: 13
                    color: "#4b5563"
                    wrapMode: Text.Wrap
                }
            }
            Rectangle {
                radius: 13
                implicitWidth: stateLabel.implicitWidth + 26
                implicitHeight: 26
                color: window.stateColors[group.state]
                Label {
                    id: stateLabel
                    anchors.centerIn: parent
                    text: window.stateNames[group.state]
                    color: "white"
                    font.bold: true
                }
            }
            Button {
                implicitWidth: 90
                text: group.running ? qsTr("Stop") : qsTr("Start")
                enabled: group.state !== RunGroup.Interrupting && !window.quitting
                onClicked: group.running = !group.running
            }
        }

        // The two workers.
        RowLayout {
            Layout.fillWidth: true
            spacing: 18

            Card {
                title: qsTr("Counter")
                subtitle: qsTr("worker thread")
                Label {
                    text: counter.value
                    font.pixelSize: 44
                    font.bold: true
                    color: "#1d4ed8"
                }
                Label {
                    text: window.failAfter > 0
                          ? qsTr("fails after %1 ms (--fail-after)").arg(window.failAfter)
                          : qsTr("counts until the group stops")
                    color: "#6b7280"
                }
            }
            Card {
                title: qsTr("Download")
                subtitle: qsTr("worker thread")
                Label {
                    text: Math.round(download.progress * 100) + " %"
                    font.pixelSize: 44
                    font.bold: true
                    color: "#7c3aed"
                }
                ProgressBar {
                    Layout.fillWidth: true
                    value: download.progress
                }
                Label {
                    text: qsTr("file %1 · 48 MiB at 16 MiB/s").arg(download.files + 1)
                    color: "#6b7280"
                }
            }
        }

        // The actors, live.
        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            radius: 10
            color: "white"
            border.color: "#dde3ec"

            ColumnLayout {
                anchors.fill: parent
                anchors.margins: 16
                spacing: 8

                Label {
                    text: qsTr("Actors")
                    font.pixelSize: 15
                    font.bold: true
                    color: "#111827"
                }
                Repeater {
                    model: group.actorModel // a row per actor, live (RunGroup::actorModel())
                    delegate: ActorRow {
                        Layout.fillWidth: true
                    }
                }
                Item { Layout.fillHeight: true }
            }
        }

        // What ended the run.
        Rectangle {
            Layout.fillWidth: true
            visible: window.failure !== ""
            implicitHeight: failureLabel.implicitHeight + 24
            radius: 10
            color: "#fee2e2"
            border.color: "#fca5a5"
            Label {
                id: failureLabel
                anchors.fill: parent
                anchors.margins: 12
                text: qsTr("A worker failed: %1. Closing the window…").arg(window.failure)
                color: "#991b1b"
                font.bold: true
                wrapMode: Text.Wrap
            }
        }
    }
}
