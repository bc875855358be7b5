// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

#include "actormodel_p.h"

#include "rungroup_p.h"

#include <QtCore/QDateTime>

ActorModel::ActorModel(RunGroup *group)
    : QAbstractTableModel(group), m_group(group), m_rows(group->count())
{
    connect(group, &RunGroup::countChanged, this, &ActorModel::countChanged);
    // A new run resets every row (readiness, errors); so does the end of one.
    connect(group, &RunGroup::started, this, &ActorModel::everyRowChanged);
    connect(group, &RunGroup::finished, this, &ActorModel::everyRowChanged);
}

int ActorModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int ActorModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

namespace {
constexpr int kColumnRoles[] = {ActorModel::NameRole,       ActorModel::StateRole,
                                ActorModel::ErrorRole,      ActorModel::DependenciesRole,
                                ActorModel::SinceRole,      ActorModel::RestartsRole,
                                ActorModel::NextAttemptRole};
} // namespace

QVariant ActorModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal || section < 0
        || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char *const titles[] = {"Name",  "State",    "Error",       "Dependencies",
                                         "Since", "Restarts", "Next attempt"};
    return QString::fromLatin1(titles[section]);
}

// The roles are the same in every column; DisplayRole shows each column's role as text.
QVariant ActorModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows || index.column() >= ColumnCount)
        return {};
    if (role != Qt::DisplayRole || index.column() == NameColumn)
        return roleData(index.row(), role);
    const QVariant value = roleData(index.row(), kColumnRoles[index.column()]);
    switch (index.column()) {
    case ErrorColumn: return value.value<RunError>().toString();
    case DependenciesColumn: {
        QStringList indices;
        for (int dependency : value.value<QList<int>>())
            indices.append(QString::number(dependency));
        return indices.join(QStringLiteral(", "));
    }
    case SinceColumn:
    case NextAttemptColumn: {
        const QDateTime time = value.toDateTime();
        return time.isValid() ? time.toString(QStringLiteral("HH:mm:ss.zzz")) : QString();
    }
    default: return value;
    }
}

QVariant ActorModel::roleData(int i, int role) const
{
    const RunGroupPrivate *d = RunGroupPrivate::get(m_group);
    const bool inRun = size_t(i) < d->runs.size();
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return d->specs[size_t(i)].name;
    case StateRole: {
        if (!inRun)
            return QStringLiteral("idle");
        const ActorRun &actor = d->runs[size_t(i)];
        if (actor.exited)
            return QStringLiteral("exited");
        if (actor.interruptQueued)
            return QStringLiteral("interrupting");
        if (actor.restarting)
            return QStringLiteral("restarting");
        if (!actor.started)
            return QStringLiteral("waiting");
        return actor.ready ? QStringLiteral("ready") : QStringLiteral("running");
    }
    case ErrorRole: return QVariant::fromValue(i < d->errors.size() ? d->errors.at(i) : RunError());
    case DependenciesRole: return QVariant::fromValue(d->specs[size_t(i)].dependencies);
    case RestartsRole: return inRun ? d->runs[size_t(i)].restarts : 0;
    case NextAttemptRole:
        return inRun && d->runs[size_t(i)].nextAttempt != 0
                   ? QDateTime::fromMSecsSinceEpoch(d->runs[size_t(i)].nextAttempt)
                   : QDateTime();
    case SinceRole:
        return inRun && d->runs[size_t(i)].since != 0
                   ? QDateTime::fromMSecsSinceEpoch(d->runs[size_t(i)].since)
                   : QDateTime();
    }
    return {};
}

QHash<int, QByteArray> ActorModel::roleNames() const
{
    return {{NameRole, "name"},
            {StateRole, "state"},
            {ErrorRole, "error"},
            {DependenciesRole, "dependencies"},
            {SinceRole, "since"},
            {RestartsRole, "restarts"},
            {NextAttemptRole, "nextAttempt"}};
}

void ActorModel::actorChanged(int index)
{
    if (index < m_rows)
        Q_EMIT dataChanged(this->index(index, 0), this->index(index, ColumnCount - 1));
}

void ActorModel::countChanged(int count)
{
    if (count <= m_rows)
        return;
    beginInsertRows({}, m_rows, count - 1);
    m_rows = count;
    endInsertRows();
}

void ActorModel::everyRowChanged()
{
    if (m_rows > 0)
        Q_EMIT dataChanged(index(0, 0), index(m_rows - 1, ColumnCount - 1));
}
