package dev.strata.emulator.clock;

/**
 * The machine's time keeper: the {@link VirtualClock} devices read, the {@link EventScheduler} they put timers in,
 * and the pacer that turns CPU progress into time. The CPU loop uses it like this:
 *
 * <pre>
 * while (running) {
 *     long n = clock.instructionBudget(MAX_BATCH);
 *     long done = halted ? 0 : cpu.run(n);
 *     clock.instructionsExecuted(done);
 *     clock.runDueEvents();
 *     if (halted &amp;&amp; !cpu.interruptPending()) clock.idle();
 * }
 * </pre>
 */
public final class MachineClock {

    /** Default virtual cost of one instruction in deterministic mode: 10 ns, a 100 MIPS machine. */
    public static final long DEFAULT_NANOS_PER_INSTRUCTION = 10;

    private final VirtualClock clock = new VirtualClock();
    private final EventScheduler scheduler = new EventScheduler(clock);
    private final ClockPacer pacer;

    private MachineClock(java.util.function.Function<VirtualClock, ClockPacer> pacerFactory) {
        this.pacer = pacerFactory.apply(clock);
        clock.batchTime(pacer::batchNanos);
    }

    /** Time advances {@code nanosPerInstruction} per executed instruction; HLT jumps to the next event. */
    public static MachineClock deterministic(long nanosPerInstruction) {
        return new MachineClock(c -> new DeterministicPacer(nanosPerInstruction));
    }

    /**
     * Time follows {@code host}; {@code nanosPerInstruction} is only an estimate used to size CPU batches so that
     * events are not run late.
     */
    public static MachineClock realtime(HostClock host, long nanosPerInstruction) {
        return new MachineClock(c -> new RealtimePacer(host, nanosPerInstruction, c));
    }

    /** Builds the clock for {@code mode} with the default instruction cost and the system host clock. */
    public static MachineClock of(ClockMode mode) {
        return mode == ClockMode.DETERMINISTIC ? deterministic(DEFAULT_NANOS_PER_INSTRUCTION)
                : realtime(new SystemHostClock(), DEFAULT_NANOS_PER_INSTRUCTION);
    }

    public ClockMode mode() {
        return pacer.mode();
    }

    /** The time devices read. */
    public VirtualClock clock() {
        return clock;
    }

    /** Where devices schedule their timers. */
    public EventScheduler scheduler() {
        return scheduler;
    }

    /** Current virtual time in nanoseconds. */
    public long nanos() {
        return clock.nanos();
    }

    /**
     * How many instructions the CPU may run before the next event is due: at least 1, at most {@code maxBatch}.
     * In deterministic mode running exactly that many brings time to the event's deadline or just past it.
     */
    public long instructionBudget(long maxBatch) {
        long until = scheduler.nanosUntilNextEvent();
        if (until == Long.MAX_VALUE) {
            return maxBatch;
        }
        long per = pacer.nanosPerInstruction();
        long n = (until + per - 1) / per;
        return Math.max(1, Math.min(maxBatch, n));
    }

    /** Virtual time one I/O port access takes: an ISA bus cycle, about what the PC's chipset gives the 8254. */
    public static final long PORT_ACCESS_NANOS = 500;

    /**
     * The CPU is about to run a batch. Devices read during the batch see time advance instead of standing still
     * until the batch ends: with {@code instructionCounter} (the CPU's running count) and the I/O it does in
     * deterministic mode, so the times are the same in every run; with the host clock in realtime mode. Ended by
     * {@link #instructionsExecuted}.
     */
    public void batchStarting(java.util.function.LongSupplier instructionCounter) {
        pacer.batchStarting(clock, instructionCounter);
        clock.beginBatch();
    }

    /**
     * The CPU accessed an I/O port: on a PC that is a slow bus cycle (Linux counts on two PIT reads lasting more
     * than one PIT input clock), so deterministic time moves {@link #PORT_ACCESS_NANOS} on. Returns true when time
     * has now reached the next event, which the CPU should then end its batch to let run (a guest polling a port
     * makes time pass faster than its instruction count says, so the batch budget alone would run the event late).
     */
    public boolean portAccessed() {
        pacer.stall(PORT_ACCESS_NANOS);
        return clock.inBatch() && clock.nanos() >= scheduler.nextDeadline();
    }

    /** Virtual nanoseconds one instruction takes (deterministic), or the estimate used to size batches (realtime). */
    public long nanosPerInstruction() {
        return pacer.nanosPerInstruction();
    }

    /** Tells the clock the CPU ran {@code instructions} instructions. */
    public void instructionsExecuted(long instructions) {
        clock.endBatch();
        if (instructions < 0) {
            throw new IllegalArgumentException("instruction count must not be negative, got " + instructions);
        }
        pacer.instructionsExecuted(clock, instructions);
    }

    /** Runs every event that is due now; returns how many ran. */
    public int runDueEvents() {
        return scheduler.runDueEvents();
    }

    /**
     * The CPU is halted: move time to the next event (deterministic) or sleep until it (realtime), then run what is
     * due. Returns false when nothing could ever wake the CPU (deterministic mode and no event scheduled).
     */
    public boolean idle() {
        boolean progress = pacer.idleUntil(clock, scheduler.nextDeadline());
        scheduler.runDueEvents();
        return progress;
    }

    /** Wakes a realtime idle sleep early; safe from any thread (host keyboard, serial input). */
    public void wake() {
        pacer.wake();
    }

    /**
     * Time begins now: realtime mode counts host time from this call, not from the clock's construction, so the
     * host time spent building the machine and loading media never reaches the guest as elapsed time.
     */
    public void start() {
        pacer.resume(clock);
    }

    /** Stops the passage of virtual time (realtime mode); deterministic time only moves with instructions anyway. */
    public void pause() {
        pacer.pause(clock);
    }

    /** Restarts time after {@link #pause()} without a jump. */
    public void resume() {
        pacer.resume(clock);
    }

    /**
     * Puts virtual time at {@code nanos} (a saved state's time) without running anything; realtime mode continues
     * from there without a jump.
     */
    public void restoreTime(long nanos) {
        pacer.pause(clock);
        clock.restore(nanos);
        pacer.resume(clock);
    }
}
