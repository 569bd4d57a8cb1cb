package org.mxpolicy.transparency;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The TLS sessions of SMTP client processes whose deliveries are still to come, by process tag
 * ({@code postfix/smtp[4711]}). Postfix logs the TLS line once per connection, without a queue
 * id, and then one delivery line per recipient with the queue id; a process delivers one message
 * at a time, so a session belongs to the deliveries of the first queue id that follows it. A TLS
 * connection is not kept for another message (only {@code smtp_tls_connection_reuse}, which logs
 * "reused" again), so a later queue id on the same process is a new connection: without a TLS
 * line of its own it was in cleartext.
 *
 * <p>The table is bounded: a log with more processes at once than {@code capacity} (far more than
 * any {@code default_process_limit}) loses the oldest, counted as evicted.
 */
final class OpenConnections {

    /** A TLS session, bound to the queue id of its first delivery once there is one. */
    private static final class Session {
        final String peer;
        final TlsLevel level;
        final String protocol;
        final String cipher;
        String queueId;

        Session(String peer, TlsLevel level, String protocol, String cipher) {
            this.peer = peer;
            this.level = level;
            this.protocol = protocol;
            this.cipher = cipher;
        }
    }

    /** What a delivery went over. */
    record Protection(TlsLevel level, Optional<String> protocol, Optional<String> cipher) {
        static final Protection NONE = new Protection(TlsLevel.PLAINTEXT, Optional.empty(), Optional.empty());
    }

    private final int capacity;
    private final Map<String, Session> sessions;
    private long evicted;

    OpenConnections(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.sessions = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
                if (size() > OpenConnections.this.capacity) {
                    evicted++;
                    return true;
                }
                return false;
            }
        };
    }

    /** A TLS session was established (or reused) by process {@code tag} to {@code peer}. */
    void established(String tag, String peer, TlsLevel level, String protocol, String cipher) {
        sessions.put(tag, new Session(peer, level, protocol, cipher));
    }

    /** What the delivery of {@code queueId} by process {@code tag} to {@code relay} went over. */
    Protection delivery(String tag, String queueId, String relay) {
        Session session = sessions.get(tag);
        if (session == null) {
            return Protection.NONE;
        }
        if (session.queueId == null) {
            if (!session.peer.equals(relay)) {
                // the session ended without a delivery (a later MX took the mail)
                sessions.remove(tag);
                return Protection.NONE;
            }
            session.queueId = queueId;
        }
        if (!queueId.equals(session.queueId)) {
            // the process went on to another message, over a connection of its own
            sessions.remove(tag);
            return Protection.NONE;
        }
        return session.peer.equals(relay)
                ? new Protection(session.level, Optional.of(session.protocol), Optional.of(session.cipher))
                : Protection.NONE;
    }

    /** Sessions dropped because the table was full. */
    long evicted() {
        return evicted;
    }

    int size() {
        return sessions.size();
    }
}
