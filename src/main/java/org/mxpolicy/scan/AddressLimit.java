package org.mxpolicy.scan;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;

/**
 * The politeness limit: at most so many connections open to one IP address at a time, however
 * many endpoints, names and scans share it, so that an audit never looks like an attack.
 */
public final class AddressLimit {

    private final int perAddress;
    private final ConcurrentMap<InetAddress, Semaphore> permits = new ConcurrentHashMap<>();

    public AddressLimit(int perAddress) {
        if (perAddress < 1) {
            throw new IllegalArgumentException("at least one connection per address is needed");
        }
        this.perAddress = perAddress;
    }

    public int perAddress() {
        return perAddress;
    }

    /** Waits for a free connection to {@code address}; {@link #release} gives it back. */
    public void acquire(InetAddress address) throws InterruptedException {
        permits.computeIfAbsent(address, any -> new Semaphore(perAddress)).acquire();
    }

    public void release(InetAddress address) {
        permits.get(address).release();
    }
}
