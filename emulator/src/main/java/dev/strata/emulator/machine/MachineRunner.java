package dev.strata.emulator.machine;

import dev.strata.emulator.clock.MachineClock;
import dev.strata.emulator.cpu.Cpu;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a {@link PcMachine}: the CPU in batches sized by the clock's instruction budget, due device events after each
 * batch, HLT as clock idle time, resets (keyboard controller, port 92h, CF9h, triple fault) and power-off. It runs on
 * a thread of its own ({@link #start()}) or the caller's ({@link #run()}); other threads pause, resume and stop it,
 * and hand it work with {@link #execute} (work runs on the CPU thread between batches).
 */
public final class MachineRunner {

    /** Largest batch: about a millisecond of virtual time at the default instruction cost. */
    static final long MAX_BATCH = 100_000;

    private final PcMachine machine;
    private final Cpu cpu;
    /** The CPU's running instruction count, which moves deterministic time during a batch. */
    private final java.util.function.LongSupplier instructionCounter;
    private final MachineClock clock;
    private final ConcurrentLinkedQueue<Consumer<PcMachine>> tasks = new ConcurrentLinkedQueue<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Object pauseLock = new Object();
    private volatile boolean stopRequested;
    private volatile boolean pauseRequested;
    private volatile boolean paused;
    /** Times the run has parked in {@link #waitWhilePaused}, so a waiter can tell a new pause from the last one. */
    private long pauses;
    /** Set by {@link #step}: the next batch runs one instruction, then the run pauses. */
    private volatile boolean stepping;
    private boolean exitOnReset;
    private final java.util.List<Consumer<PcMachine>> resetListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile RunOutcome outcome;
    private volatile Throwable failure;
    private volatile Thread thread;
    private long hostStart;
    private long hostNanos;
    /** CPU time the thread running the machine spent in {@link #run()}, set when it returns (-1: not measured). */
    private volatile long cpuNanos = -1;
    private boolean measureCpuTime;
    /** Told on the CPU thread each time the instruction count passes a multiple of {@link #progressEvery}. */
    private Consumer<Cpu> progress;
    private long progressEvery;
    private long nextProgress = Long.MAX_VALUE;
    /** Wall-clock time of the first instruction of this runner's first run (0 before it), for start-up figures. */
    private volatile long firstInstructionEpochMillis;
    private long shutdownsSeen;

    public MachineRunner(PcMachine machine) {
        this.machine = machine;
        this.cpu = machine.cpu();
        this.instructionCounter = () -> cpu.instructions;
        this.clock = machine.clock();
    }

    /**
     * Measures the CPU time of the thread that runs the machine ({@link #cpuThreadNanos}); off by default, since
     * the JVM's management classes it needs cost tens of milliseconds of start-up before the first instruction.
     */
    public MachineRunner measureCpuTime(boolean measure) {
        this.measureCpuTime = measure;
        return this;
    }

    /**
     * Has {@code listener} told, on the CPU thread, each time the instruction count passes a multiple of
     * {@code every} (checked between batches, so up to a batch late): {@code --stats-every}'s progress lines.
     */
    public MachineRunner onProgress(long every, Consumer<Cpu> listener) {
        if (every <= 0) {
            throw new IllegalArgumentException("progress every " + every + " instructions");
        }
        this.progressEvery = every;
        this.progress = listener;
        return this;
    }

    /** When true, a reset ends the run with {@link RunOutcome#RESET} instead of restarting the firmware. */
    public MachineRunner exitOnReset(boolean exit) {
        this.exitOnReset = exit;
        return this;
    }

    /**
     * Adds {@code listener}, told on the CPU thread after each reset the machine went through (not with
     * {@link #exitOnReset}); scripted typing and the VM's control events each listen.
     */
    public MachineRunner onReset(Consumer<PcMachine> listener) {
        resetListeners.add(listener);
        return this;
    }

    public PcMachine machine() {
        return machine;
    }

    /** Starts the run on a new thread named "strata-cpu". */
    public void start() {
        Thread t = new Thread(this::run, "strata-cpu");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Runs the machine on the calling thread until it powers off, stops, halts for good or fails. */
    public RunOutcome run() {
        if (thread == null) {
            thread = Thread.currentThread();
        }
        hostStart = System.nanoTime();
        java.lang.management.ThreadMXBean threads = measureCpuTime
                ? java.lang.management.ManagementFactory.getThreadMXBean() : null;
        long cpuStart = threads == null ? -1 : threads.getCurrentThreadCpuTime();
        if (firstInstructionEpochMillis == 0) {
            firstInstructionEpochMillis = System.currentTimeMillis();
        }
        clock.start(); // guest time starts with the first instruction, not when the machine was built
        shutdownsSeen = cpu.shutdowns;
        if (progress != null) {
            nextProgress = (cpu.instructions / progressEvery + 1) * progressEvery;
        }
        RunOutcome result;
        try {
            result = loop();
        } catch (Throwable t) {
            failure = t;
            result = RunOutcome.FAILED;
        }
        hostNanos += System.nanoTime() - hostStart;
        long cpuEnd = threads == null ? -1 : threads.getCurrentThreadCpuTime();
        cpuNanos = cpuStart < 0 || cpuEnd < 0 ? -1 : cpuEnd - cpuStart;
        outcome = result;
        finished.countDown();
        synchronized (pauseLock) {
            pauseLock.notifyAll(); // a debugger waiting for a pause learns that the run ended
        }
        return result;
    }

    private RunOutcome loop() {
        while (true) {
            runTasks();
            if (stopRequested) {
                return RunOutcome.STOPPED;
            }
            if (pauseRequested) {
                waitWhilePaused();
                continue;
            }
            if (machine.powerOffRequested()) {
                return RunOutcome.POWERED_OFF;
            }
            if (machine.resetRequested() || cpu.shutdowns != shutdownsSeen) {
                // a triple fault has already reset the processor, which may have run on a little since
                boolean processorReset = cpu.shutdowns != shutdownsSeen && !machine.resetRequested();
                shutdownsSeen = cpu.shutdowns;
                if (exitOnReset) {
                    return RunOutcome.RESET;
                }
                machine.reset(!processorReset);
                for (Consumer<PcMachine> l : resetListeners) {
                    l.accept(machine);
                }
                continue;
            }
            boolean step = stepping;
            long budget = clock.instructionBudget(step ? 1 : MAX_BATCH);
            clock.batchStarting(instructionCounter);
            // a step runs the guest's next instruction; a halted CPU needs its interrupt to get there
            cpu.holdExternalInterrupts(step && !cpu.halted);
            long done = cpu.run(budget);
            if (step) {
                cpu.holdExternalInterrupts(false);
            }
            clock.instructionsExecuted(done);
            if (cpu.instructions >= nextProgress) {
                nextProgress = (cpu.instructions / progressEvery + 1) * progressEvery;
                progress.accept(cpu);
            }
            clock.runDueEvents();
            if (stepping && done > 0) {
                stepping = false;
                pauseRequested = true;
            }
            if (done == 0 && cpu.halted && !machine.powerOffRequested() && !machine.resetRequested()
                    && cpu.shutdowns == shutdownsSeen) {
                if ((cpu.eflags & dev.strata.emulator.cpu.Flags.IF) == 0) {
                    return RunOutcome.HALTED; // only an NMI could wake it, and nothing on this PC raises one
                }
                if (!clock.idle() && tasks.isEmpty()) {
                    return RunOutcome.HALTED;
                }
            }
        }
    }

    private void runTasks() {
        Consumer<PcMachine> task;
        while ((task = tasks.poll()) != null) {
            task.accept(machine);
        }
    }

    private void waitWhilePaused() {
        clock.pause();
        long pausedAt = System.nanoTime();
        synchronized (pauseLock) {
            paused = true;
            pauses++;
            pauseLock.notifyAll();
            while (pauseRequested && !stopRequested && tasks.isEmpty()) {
                try {
                    pauseLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopRequested = true;
                }
            }
            paused = false;
        }
        hostStart += System.nanoTime() - pausedAt; // paused time is not run time
        clock.resume();
    }

    /**
     * The CPU time the thread that ran the machine spent in {@link #run()}, in nanoseconds, once it returned; -1
     * before that, without {@link #measureCpuTime}, or where the JVM cannot measure a thread's CPU time. What the
     * guest cost the host, without the time other threads (a window's, the JIT compiler's) took.
     */
    public long cpuThreadNanos() {
        return cpuNanos;
    }

    /** Runs {@code task} on the CPU thread before the next batch; safe from any thread. */
    public void execute(Consumer<PcMachine> task) {
        tasks.add(task);
        synchronized (pauseLock) {
            pauseLock.notifyAll();
        }
        clock.wake();
    }

    /** Stops running after the current batch and waits (up to a second) until the CPU thread is parked. */
    public void pause() {
        pauseRequested = true;
        clock.wake();
        synchronized (pauseLock) {
            long deadline = System.nanoTime() + 1_000_000_000L;
            while (!paused && finished.getCount() > 0 && System.nanoTime() < deadline) {
                try {
                    pauseLock.wait(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Asks the run to pause after the current batch without waiting for it (a debugger's breakpoint, hit on the
     * CPU thread itself); {@link #pauses()} and {@link #awaitPauseAfter} tell when it has.
     */
    public void requestPause() {
        pauseRequested = true;
        clock.wake();
    }

    /**
     * Runs exactly one instruction and pauses again; called while paused. Interrupts that are due stay pending during
     * the step (as QEMU's gdb stub holds them), except on a halted CPU, which needs one to go on: its step runs
     * the handler's first instruction.
     */
    public void step() {
        synchronized (pauseLock) {
            stepping = true;
            pauseRequested = false;
            pauseLock.notifyAll();
        }
    }

    /** How many times the run has paused so far. */
    public long pauses() {
        synchronized (pauseLock) {
            return pauses;
        }
    }

    /**
     * Waits up to {@code millis} for the run to pause for the time after the {@code seen}-th pause, or to end.
     * Returns true when it is paused (or ended) by then.
     */
    public boolean awaitPauseAfter(long seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        synchronized (pauseLock) {
            while (!(paused && pauses > seen) && finished.getCount() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                pauseLock.wait(Math.max(1, left / 1_000_000L));
            }
            return true;
        }
    }

    public void resume() {
        synchronized (pauseLock) {
            stepping = false;
            pauseRequested = false;
            pauseLock.notifyAll();
        }
    }

    public boolean isPaused() {
        return paused;
    }

    /** Ends the run after the current batch; callable from any thread. */
    public void stop() {
        stopRequested = true;
        synchronized (pauseLock) {
            pauseLock.notifyAll();
        }
        clock.wake();
    }

    /** Waits for the run to end; returns its outcome, or null when it is still running after the timeout. */
    public RunOutcome await(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit) ? outcome : null;
    }

    /** Waits for the run to end. */
    public RunOutcome await() throws InterruptedException {
        finished.await();
        return outcome;
    }

    /** The outcome once the run ended, else null. */
    public RunOutcome outcome() {
        return outcome;
    }

    /** Wall-clock milliseconds (epoch) when the first run began, 0 before: how long start-up took is measured to it. */
    public long firstInstructionEpochMillis() {
        return firstInstructionEpochMillis;
    }

    /** What made the run fail ({@link RunOutcome#FAILED}), else null. */
    public Throwable failure() {
        return failure;
    }

    /** Figures so far; exact once the run has ended (read from another thread, they may lag a batch). */
    public MachineStatistics statistics() {
        long host = hostNanos + (outcome == null && hostStart != 0 && !paused ? System.nanoTime() - hostStart : 0);
        return new MachineStatistics(cpu.instructions, clock.nanos() / 1e9, host / 1e9, cpu.blockHits(),
                cpu.blockMisses(), machine.resets(), cpu.stats(), cpu.jit());
    }
}
