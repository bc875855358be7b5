// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

// A white panel with a title; its children are laid out in a column.
Rectangle {
    id: card

    property string title
    property string subtitle
    default property alias content: column.data

    Layout.fillWidth: true
    Layout.preferredWidth: 1 // cards share the row equally
    implicitHeight: 150
    radius: 10
    color: "white"
    border.color: "#dde3ec"

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: 16
        spacing: 6

        RowLayout {
            spacing: 8
            Label {
                text: card.title
                font.pixelSize: 15
                font.bold: true
                color: "#111827"
            }
            Label {
                text: card.subtitle
                color: "#9ca3af"
            }
        }
    }
}
