package org.mxpolicy.testing;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What an interop lab started (a {@link NetworkNamespace}, the servers in it), closed last first
 * when the lab ends, so the servers stop before the namespace they run in is deleted. One that
 * fails to close does not leave the others running: every one is closed, and the first failure
 * is thrown with the later ones suppressed.
 */
public final class LabResources implements AutoCloseable {

    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    /** Keeps {@code resource} to close with the lab, and returns it. */
    public synchronized <T extends AutoCloseable> T open(T resource) {
        started.push(resource);
        return resource;
    }

    @Override
    public synchronized void close() throws Exception {
        Exception failure = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
