// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

//
//  W A R N I N G
//  -------------
// This file is not part of the RunGroup API. It may change from version to version
// without notice, or even be removed. We mean it.

#ifndef RUNGROUPQML_QMLRUNERROR_P_H
#define RUNGROUPQML_QMLRUNERROR_P_H

#include <RunGroup/runerror.h>

#include <QtQml/qqml.h>

// RunError in QML, registered from this module so that the core library needs no QtQml.
//
// Value type names must start with a lowercase letter, and only a named, capitalised type
// can hold enums. Qt 6.4's way to have both: the gadget is the value type runError
// (error.isError, error.kind, error.message, error.signalNumber, error.toString()), and a
// QML namespace named RunError is extended by the gadget's meta-object, which gives it
// the enums (RunError.Failure, RunError.Signal, …). QML_FOREIGN_NAMESPACE(RunError) would
// work at run time too, but writes a second "RunError" component to the .qmltypes file,
// which hides the enums from qmllint. Neither type is creatable in QML.
struct RunErrorForeign
{
    Q_GADGET
    QML_FOREIGN(RunError)
    QML_VALUE_TYPE(runError)
};

namespace RunErrorEnums {
Q_NAMESPACE
QML_NAMED_ELEMENT(RunError)
QML_NAMESPACE_EXTENDED(RunError)
} // namespace RunErrorEnums

#endif // RUNGROUPQML_QMLRUNERROR_P_H
