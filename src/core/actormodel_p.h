// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_ACTORMODEL_P_H
#define RUNGROUP_ACTORMODEL_P_H

#include <QtCore/QAbstractTableModel>

class RunGroup;

// RunGroup::actorModel(): a row per actor, read from the group's state. A child of the
// group, on its thread; the group tells it which row changed.
class ActorModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        StateRole,        // "waiting", "running", "ready", "restarting", "interrupting",
                          // "exited", or "idle"
        ErrorRole,        // RunError: the actor's exit error in this (or the last) run
        DependenciesRole, // QList<int>
        SinceRole,        // QDateTime: when the state last changed
        RestartsRole,     // int: restarts in this (or the last) run
        NextAttemptRole,  // QDateTime: when a restarting actor starts again, or invalid
    };
    Q_ENUM(Role)

    explicit ActorModel(RunGroup *group);

    // A column per role, for a QTableView; a QML view reads the roles of column 0.
    enum Column {
        NameColumn,
        StateColumn,
        ErrorColumn,
        DependenciesColumn,
        SinceColumn,
        RestartsColumn,
        NextAttemptColumn,
        ColumnCount
    };

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void actorChanged(int index);

private:
    QVariant roleData(int row, int role) const;
    void countChanged(int count);
    void everyRowChanged();

    RunGroup *const m_group;
    int m_rows = 0;
};

#endif // RUNGROUP_ACTORMODEL_P_H
