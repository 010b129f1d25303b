package dev.strata.tools.crash;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs operations in child JVMs and kills them with SIGKILL after random delays spread over each operation's own
 * duration (measured by one uninterrupted run first), checking after every kill. A spare child is always starting
 * up while the test checks, so most of a JVM's start-up costs no wall time.
 */
final class KillCampaign implements AutoCloseable {
    /** The system property that replays a campaign: its seed (the failure messages print it). */
    static final String SEED_PROPERTY = "strata.test.killSeed";

    private final long seed;
    private final Random random;
    private final Path logs;
    private final Map<String, Integer> kills = new LinkedHashMap<>();
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private StandbyChild spare;
    private int children;

    KillCampaign(long seed, Path logs) {
        this.seed = seed;
        this.random = new Random(seed);
        this.logs = logs;
    }

    long seed() {
        return seed;
    }

    /** Kills per operation, in the order they ran. */
    Map<String, Integer> kills() {
        return kills;
    }

    /** Kills and wall time per operation, one line each. */
    String report() {
        StringBuilder b = new StringBuilder();
        kills.forEach((op, n) -> b.append(String.format("  %-22s %4d kills %6.1f s%n", op, n, seconds.get(op))));
        return b.toString();
    }

    Random random() {
        return random;
    }

    /** Runs {@code scenario} once to completion, then {@code count} times killed at a random point. */
    void run(KillScenario scenario, int count) throws Exception {
        long start = System.nanoTime();
        scenario.prepare(0);
        StandbyChild first = take();
        Callable<?> done = scenario.begin(first);
        long t0 = System.nanoTime();
        done.call();
        long span = System.nanoTime() - t0;
        first.kill();
        scenario.verify(where(scenario, 0, count, -1));
        for (int k = 1; k <= count; k++) {
            scenario.prepare(k);
            long delay = (long) (random.nextDouble() * span * 1.1);
            StandbyChild child = take();
            scenario.begin(child);
            LockSupport.parkNanos(delay);
            child.kill();
            kills.merge(scenario.operation(), 1, Integer::sum);
            scenario.verify(where(scenario, k, count, delay));
        }
        seconds.put(scenario.operation(), (System.nanoTime() - start) / 1e9);
    }

    private String where(KillScenario scenario, int k, int count, long delayNanos) {
        return scenario.operation() + (k == 0 ? " (uninterrupted run)" : " killed " + TimeUnit.NANOSECONDS.toMicros(
                delayNanos) + " µs into run " + k + " of " + count) + "; campaign seed " + seed + " (replay with -D"
                + SEED_PROPERTY + "=" + seed + "; kill times still vary with the machine's speed)";
    }

    /** A warm child, and the next one starting up. */
    private StandbyChild take() throws IOException {
        StandbyChild c = spare != null ? spare : launch();
        spare = launch();
        return c;
    }

    private StandbyChild launch() throws IOException {
        return StandbyChild.launch(logs.resolve("child-" + children++ + ".err"));
    }

    @Override
    public void close() throws InterruptedException {
        if (spare != null) {
            spare.kill();
        }
    }
}
