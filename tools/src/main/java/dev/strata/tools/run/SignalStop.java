package dev.strata.tools.run;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ends a run cleanly when the process gets SIGTERM or SIGINT (or SIGHUP): the JVM's shutdown stops the machine
 * as a power-off would, then waits until the command has finished its own ending (serial output, disks and logs
 * flushed and closed, the VM's state recorded, its locks released) before the JVM exits with 128 + the signal's
 * number. A VM ended this way is PoweredOff, as VirtualBox's front ends leave a VM whose process got SIGTERM.
 * SIGKILL cannot be caught; for that, serial output is written through as it comes and the next command finds the
 * VM Aborted.
 */
public final class SignalStop implements AutoCloseable {
    /** How long the JVM's shutdown waits for the command to end before it exits anyway. */
    static final long ENDING_SECONDS = 60;

    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onShutdown, "strata-signal-stop");
    private Runnable stop;
    private boolean signalled;

    private SignalStop() {
    }

    /** Starts listening; close it when the command has ended. */
    public static SignalStop install() {
        SignalStop s = new SignalStop();
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    /** Sets how to stop the machine now running; runs it at once if a signal came before the machine did. */
    public void onSignal(Runnable stopMachine) {
        boolean now;
        synchronized (this) {
            stop = stopMachine;
            now = signalled;
        }
        if (now) {
            stopMachine.run();
        }
    }

    /** True once a signal asked the process to end. */
    public synchronized boolean signalled() {
        return signalled;
    }

    private void onShutdown() {
        Runnable r;
        synchronized (this) {
            signalled = true;
            r = stop;
        }
        if (r != null) {
            r.run();
        }
        try {
            ended.await(ENDING_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command has ended: a shutdown in progress may go on, and later shutdowns need not wait. */
    @Override
    public void close() {
        ended.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down (this hook may be what waits for us); nothing to remove
        }
    }
}
