package dev.strata.emulator.vm;

/**
 * Named points in VM operations where a crash test can have the process die at once, as by SIGKILL (no shutdown
 * hooks, nothing flushed), right after a file change that random kill delays would mostly miss. Off unless the
 * system property {@value #PROPERTY} names a point, as {@code NAME} or {@code NAME#N} (the N-th time it is reached).
 */
final class KillPoints {
    /** The system property a crash test sets in the child JVM it will lose. */
    static final String PROPERTY = "strata.test.killAt";
    /** The exit status of a process killed by SIGKILL, which the halt imitates. */
    static final int STATUS = 137;

    private static int reached;

    private KillPoints() {
    }

    /** Halts the JVM when {@code name} is the point asked for (and this is the time asked for). */
    static void reach(String name) {
        String want = System.getProperty(PROPERTY);
        if (want == null) {
            return;
        }
        int hash = want.indexOf('#');
        String point = hash < 0 ? want : want.substring(0, hash);
        if (!point.equals(name)) {
            return;
        }
        int times = hash < 0 ? 1 : Integer.parseInt(want.substring(hash + 1));
        synchronized (KillPoints.class) {
            if (++reached == times) {
                Runtime.getRuntime().halt(STATUS);
            }
        }
    }
}
