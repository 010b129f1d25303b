package dev.strata.emulator.clock;

import java.util.concurrent.locks.LockSupport;

/** {@link HostClock} backed by {@link System#nanoTime()} and thread parking. */
public final class SystemHostClock implements HostClock {

    private volatile Thread sleeper;
    private volatile boolean wakeRequested;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void sleepUntil(long hostNanos) {
        sleeper = Thread.currentThread();
        try {
            long remaining;
            while (!wakeRequested && (remaining = hostNanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, remaining);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        } finally {
            wakeRequested = false;
            sleeper = null;
        }
    }

    @Override
    public void wake() {
        wakeRequested = true;
        Thread t = sleeper;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
