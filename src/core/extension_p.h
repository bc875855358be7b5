// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUP_EXTENSION_P_H
#define RUNGROUP_EXTENSION_P_H

#include <RunGroup/rungroup.h>

#include <QtCore/QList>

// Extensions are what attaches to a group from outside its core: the application binding,
// the run observer (log and trace), ServiceNotifier, and the adaptor of every ready-made
// actor. The rule, for all of them:
//  - An extension is a QObject child of its group: it lives on the group's thread, moves
//    with moveToThread(), and is destroyed with the group (its QObject destructor, after
//    ~RunGroup finished the run). The core keeps no pointer to it and knows nothing of it.
//  - It listens to the group's public signals, and acts through the group's public API
//    (or addObject(), for actors). Its per-group state is in the extension, never in
//    RunGroupPrivate.
//  - The group's extensions of a type are found with these two functions, and only among
//    the group's direct children: a user's own children of the group are never confused
//    with them, whatever their names.
namespace Extension {

// The group's extension of type T, or null.
template <typename T>
T *find(const RunGroup *group)
{
    return group->findChild<T *>(QString(), Qt::FindDirectChildrenOnly);
}

// Every extension of type T the group has, in creation order.
template <typename T>
QList<T *> findAll(const RunGroup *group)
{
    return group->findChildren<T *>(QString(), Qt::FindDirectChildrenOnly);
}

} // namespace Extension

#endif // RUNGROUP_EXTENSION_P_H
