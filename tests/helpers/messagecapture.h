// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// Captures Qt messages (from any thread) while alive, instead of printing them: all of
// them, or only those of one logging category (the others pass through).

#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QRegularExpression>
#include <QtCore/QStringList>

#include <mutex>

class MessageCapture
{
public:
    // category: capture only that logging category's messages; null: every message.
    explicit MessageCapture(const char *category = nullptr) : m_category(category)
    {
        std::lock_guard<std::mutex> lock(s_mutex);
        s_current = this;
        s_previous = qInstallMessageHandler(&MessageCapture::handler);
    }
    ~MessageCapture()
    {
        std::lock_guard<std::mutex> lock(s_mutex);
        qInstallMessageHandler(s_previous);
        s_current = nullptr;
    }
    Q_DISABLE_COPY_MOVE(MessageCapture)

    QStringList messages() const
    {
        std::lock_guard<std::mutex> lock(s_mutex);
        return m_messages;
    }
    // Returns the first message matching the whole of pattern, or an empty string.
    QString find(const QString &pattern) const
    {
        const QRegularExpression re(QRegularExpression::anchoredPattern(pattern));
        for (const QString &message : messages()) {
            if (re.match(message).hasMatch())
                return message;
        }
        return QString();
    }

private:
    static void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        QtMessageHandler previous = nullptr;
        {
            std::lock_guard<std::mutex> lock(s_mutex);
            previous = s_previous;
            if (s_current
                && (!s_current->m_category
                    || qstrcmp(context.category, s_current->m_category) == 0)) {
                s_current->m_messages.append(message);
                if (type != QtFatalMsg)
                    return;
            }
        }
        if (previous)
            previous(type, context, message);
    }

    static inline std::mutex s_mutex;
    static inline MessageCapture *s_current = nullptr;
    static inline QtMessageHandler s_previous = nullptr;
    const char *const m_category;
    QStringList m_messages;
};
