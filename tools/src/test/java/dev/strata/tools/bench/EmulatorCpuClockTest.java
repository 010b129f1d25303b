package dev.strata.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emulating thread's CPU seconds, found by name among a process's threads in /proc. */
class EmulatorCpuClockTest {

    @TempDir
    Path dir;

    private Path task(Path tasks, int tid, String comm, String schedstat) throws Exception {
        Path t = Files.createDirectories(tasks.resolve(Integer.toString(tid)));
        Files.writeString(t.resolve("comm"), comm + "\n");
        Files.writeString(t.resolve("schedstat"), schedstat + "\n");
        return t;
    }

    @Test
    void theNamedThreadIsFoundAndItsTimeOnACpuRead() throws Exception {
        Path tasks = dir.resolve("4242/task");
        task(tasks, 4242, "java", "900000000 5 7");
        Path cpu = task(tasks, 4250, "strata-cpu", "1500000000 200 31");
        task(tasks, 4251, "C2 CompilerThre", "700000000 10 3");
        assertEquals(cpu, EmulatorCpuClock.find(tasks, "strata-cpu"));
        assertEquals(1.5, EmulatorCpuClock.cpuSeconds(cpu), 1e-9);
        assertNull(EmulatorCpuClock.find(tasks, "CPU 0/TCG"));
    }

    @Test
    void theWholeProcessesTimeIsItsUserAndSystemTicks() throws Exception {
        Path proc = Files.createDirectories(dir.resolve(Long.toString(ProcessHandle.current().pid())));
        // a command name with spaces and brackets in it; utime and stime are the 14th and 15th fields
        Files.writeString(proc.resolve("stat"), ProcessHandle.current().pid() + " (C2 (x) y) S 1 2 3 4 5 6 7 8 9 10 "
                + "250 125 0 0 20 0 31\n");
        task(proc.resolve("task"), 7, "strata-cpu", "3000000000 0 1");
        double[] sample = new EmulatorCpuClock(ProcessHandle.current(), dir, "strata-cpu").sample();
        assertEquals(3.0, sample[0], 1e-9);
        assertEquals(3.75, sample[1], 1e-9);
    }

    @Test
    void onceTheThreadHasEndedItsLastFigureStands() throws Exception {
        Path proc = Files.createDirectories(dir.resolve(Long.toString(ProcessHandle.current().pid())));
        Path thread = task(proc.resolve("task"), 7, "strata-cpu", "2500000000 0 1");
        EmulatorCpuClock clock = new EmulatorCpuClock(ProcessHandle.current(), dir, "strata-cpu");
        assertEquals(2.5, clock.sample()[0], 1e-9);
        Files.delete(thread.resolve("schedstat"));
        Files.delete(thread.resolve("comm"));
        Files.delete(thread);
        assertEquals(2.5, clock.sample()[0], 1e-9);
    }

    @Test
    void withoutTheThreadItsFigureIsUnknownAndTheProcessesIsStillRead() {
        EmulatorCpuClock clock = new EmulatorCpuClock(ProcessHandle.current(), dir, "strata-cpu");
        double[] sample = clock.sample();
        assertTrue(Double.isNaN(sample[0]));
        assumeTrue(ProcessHandle.current().info().totalCpuDuration().isPresent(), "this OS does not tell");
        assertTrue(sample[1] > 0, "process CPU " + sample[1]);
    }

    @Test
    void aThreadThatHasEndedHasNoFigure() throws Exception {
        assertTrue(Double.isNaN(EmulatorCpuClock.cpuSeconds(dir.resolve("4242/task/4250"))));
    }

    @Test
    void aLiveThreadsWorkIsCountedAndASleepingOnesIsNot() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "threads are read from Linux's /proc");
        CountDownLatch spun = new CountDownLatch(1);
        CountDownLatch measured = new CountDownLatch(1);
        Thread spinner = new Thread(() -> {
            long end = System.nanoTime() + 200_000_000L;
            long x = 0;
            while (System.nanoTime() < end) {
                x += x * 31 + 7;
            }
            spun.countDown();
            awaitQuietly(measured); // a thread that has ended is no longer in /proc
            if (x == 42) {
                System.out.println();
            }
        }, "bench-spinner");
        Thread sleeper = new Thread(() -> awaitQuietly(measured), "bench-sleeper");
        spinner.start();
        sleeper.start();
        spun.await();
        double busy = new EmulatorCpuClock(ProcessHandle.current(), Path.of("/proc"), "bench-spinner").sample()[0];
        double[] idle = new EmulatorCpuClock(ProcessHandle.current(), Path.of("/proc"), "bench-sleeper").sample();
        measured.countDown();
        spinner.join();
        sleeper.join();
        assertTrue(busy >= 0.1 && busy <= idle[1], "spinner " + busy + " s of " + idle[1] + " s");
        assertTrue(idle[0] < 0.05, "sleeper " + idle[0] + " s");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
