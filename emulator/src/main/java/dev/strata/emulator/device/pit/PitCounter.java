package dev.strata.emulator.device.pit;

import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * One counter of an 8254: its count register, counting element, output and gate, for modes 0-5 in binary or BCD.
 *
 * <p>Nothing ticks. The counter remembers the tick at which its counting element was last loaded (the "phase") and
 * derives the count and the output at any later tick arithmetically, so reading it costs a few divisions and an idle
 * timer costs nothing. Times are in timer ticks (see {@link PitTiming}); every method takes the current tick.
 *
 * <p>A count that takes effect at the end of a mode 3 half-cycle starting low is represented by a phase that began
 * half a period earlier; only ticks from the half-cycle boundary on are ever asked of it.
 */
@StateClass("dev.strata.emulator.device.pit.PitCounter")
final class PitCounter {

    private static final long NEVER = Long.MAX_VALUE;

    private final int index;

    // programming
    @StateField("modeBits") private int modeBits = 3;
    @StateField("mode") private int mode = 3;
    @StateField("access") private int access = 3;
    @StateField("bcd") private boolean bcd;

    // count register
    @StateField("crLow") private int crLow;
    @StateField("writeMsbNext") private boolean writeMsbNext;
    @StateField("countRegister") private int countRegister;
    @StateField("countWritten") private boolean countWritten;

    // counting element
    @StateField("running") private boolean running;
    @StateField("loadTick") private long loadTick;
    @StateField("phaseCount") private int phaseCount;
    @StateField("terminalPassed") private boolean terminalPassed;
    @StateField("outBeforeLoad") private boolean outBeforeLoad = true;
    @StateField("staticCount") private int staticCount;
    @StateField("staticOut") private boolean staticOut = true;
    @StateField("hasPending") private boolean hasPending;
    @StateField("pendingTick") private long pendingTick;
    @StateField("pendingPhaseStart") private long pendingPhaseStart;
    @StateField("pendingCount") private int pendingCount;

    @StateField("gate") private boolean gate;
    @StateField("nullCount") private boolean nullCount;
    @StateField("nullClearTick") private long nullClearTick = NEVER;

    // read side
    @StateField("readMsbNext") private boolean readMsbNext;
    @StateField("countLatched") private boolean countLatched;
    @StateField("latchedCount") private int latchedCount;
    @StateField("statusLatched") private boolean statusLatched;
    @StateField("latchedStatus") private int latchedStatus;

    PitCounter(int index, boolean gate) {
        this.index = index;
        this.gate = gate;
    }

    int index() {
        return index;
    }

    int mode() {
        return mode;
    }

    boolean gate() {
        return gate;
    }

    private int modulus() {
        return bcd ? 10_000 : 0x10000;
    }

    /** The count register value as a number of input clocks: 0 means the largest count. */
    private int effective(int raw) {
        int value = bcd ? fromBcd(raw) : raw;
        return value == 0 ? modulus() : value;
    }

    private static int fromBcd(int raw) {
        return ((raw >> 12) & 0xF) * 1000 + ((raw >> 8) & 0xF) * 100 + ((raw >> 4) & 0xF) * 10 + (raw & 0xF);
    }

    private static int toBcd(int value) {
        return (value / 1000 % 10) << 12 | (value / 100 % 10) << 8 | (value / 10 % 10) << 4 | (value % 10);
    }

    // ---- phase bookkeeping ------------------------------------------------------------------------------------

    /** Applies a count that was waiting for the end of a period, if that moment has come. */
    void sync(long tick) {
        if (hasPending && tick >= pendingTick) {
            hasPending = false;
            startPhase(pendingPhaseStart, pendingCount, true);
        }
    }

    private void startPhase(long at, int count, boolean outBefore) {
        if (running) {
            staticCount = countAt(at - 1);
        }
        running = true;
        loadTick = at;
        phaseCount = count;
        terminalPassed = false;
        outBeforeLoad = outBefore;
    }

    /** Freezes the counting element at its value for {@code tick}, with the given output level. */
    private void stop(long tick, boolean out) {
        staticCount = count(tick);
        staticOut = out;
        running = false;
        hasPending = false;
    }

    // ---- the arithmetic -----------------------------------------------------------------------------------------

    /** The counting element's value (as a number, not BCD-encoded) during {@code tick}. */
    int count(long tick) {
        sync(tick);
        return countAt(tick);
    }

    private int countAt(long tick) {
        if (!running || tick < loadTick) {
            return staticCount;
        }
        long e = tick - loadTick;
        int n = phaseCount;
        int m = modulus();
        long value = switch (mode) {
            case 2 -> n - e % n;
            case 3 -> squareWaveCount(n, e % n);
            default -> n - e;
        };
        return (int) Math.floorMod(value, (long) m);
    }

    /**
     * Mode 3 decrements by two and changes OUT each time the count expires. An even count is loaded as is; an odd
     * count is loaded minus one, which makes the high half one clock longer than the low half.
     */
    private static long squareWaveCount(int n, long k) {
        long high = (n + 1) / 2;
        long j = k < high ? k : k - high;
        return ((n & 1) == 0 ? n : n - 1) - 2 * j;
    }

    /** The OUT pin during {@code tick}. */
    boolean output(long tick) {
        sync(tick);
        if (!running) {
            return staticOut;
        }
        if (tick < loadTick) {
            return outBeforeLoad;
        }
        long e = tick - loadTick;
        int n = phaseCount;
        return switch (mode) {
            case 0 -> terminalPassed || e >= n;
            case 1 -> e >= n;
            case 2 -> n == 1 || e % n != n - 1;
            case 3 -> n == 1 || e % n < (n + 1) / 2;
            default -> terminalPassed || e != n; // modes 4 and 5: one-clock strobe
        };
    }

    /** Ticks in one output period for the periodic modes, 0 otherwise. */
    long period() {
        return running && (mode == 2 || mode == 3) ? phaseCount : 0;
    }

    /**
     * The first tick after {@code tick} at which the output changes or a waiting count loads, or
     * {@link Long#MAX_VALUE} if neither will happen without new programming.
     */
    long nextEventAfter(long tick) {
        sync(tick);
        long next = NEVER;
        if (running) {
            next = nextTransitionAfter(tick);
        }
        if (hasPending && pendingTick > tick) {
            next = Math.min(next, pendingTick);
        }
        return next;
    }

    private long nextTransitionAfter(long tick) {
        long l = loadTick;
        int n = phaseCount;
        if (tick < l && outBeforeLoad != output(l)) {
            return l;
        }
        long e = Math.max(tick + 1 - l, 0);
        switch (mode) {
            case 0:
                return !terminalPassed && l + n > tick ? l + n : NEVER;
            case 1:
                return l + n > tick ? l + n : NEVER;
            case 2: {
                if (n == 1) {
                    return NEVER;
                }
                long r = e % n;
                if (r == n - 1 || (r == 0 && e > 0)) {
                    return l + e;
                }
                return l + e + (n - 1 - r);
            }
            case 3: {
                if (n == 1) {
                    return NEVER;
                }
                long half = (n + 1) / 2;
                long r = e % n;
                if (r == 0 && e > 0) {
                    return l + e;
                }
                return r <= half ? l + e + (half - r) : l + e + (n - r);
            }
            default:
                if (terminalPassed) {
                    return NEVER;
                }
                if (l + n > tick) {
                    return l + n;
                }
                return l + n + 1 > tick ? l + n + 1 : NEVER;
        }
    }

    boolean nullCount(long tick) {
        return nullCount && tick < nullClearTick;
    }

    int status(long tick) {
        return (output(tick) ? 0x80 : 0) | (nullCount(tick) ? 0x40 : 0) | access << 4 | modeBits << 1 | (bcd ? 1 : 0);
    }

    // ---- programming --------------------------------------------------------------------------------------------

    /** A control word for this counter with RW != 00. */
    void control(long tick, int value) {
        sync(tick);
        staticCount = count(tick);
        access = (value >> 4) & 3;
        modeBits = (value >> 1) & 7;
        mode = modeBits > 5 ? modeBits - 4 : modeBits;
        bcd = (value & 1) != 0;
        running = false;
        hasPending = false;
        countWritten = false;
        staticOut = mode != 0;
        writeMsbNext = false;
        readMsbNext = false;
        countLatched = false;
        statusLatched = false;
        nullCount = true;
        nullClearTick = NEVER;
    }

    /** A byte written to the counter's data port. */
    void writeData(long tick, int value) {
        sync(tick);
        value &= 0xFF;
        switch (access) {
            case 1 -> loadCount(tick, value);
            case 2 -> loadCount(tick, value << 8);
            default -> {
                if (!writeMsbNext) {
                    crLow = value;
                    writeMsbNext = true;
                    if (mode == 0) {
                        // mode 0: writing the first byte stops the count and drops the output
                        stop(tick, false);
                    }
                } else {
                    writeMsbNext = false;
                    loadCount(tick, crLow | value << 8);
                }
            }
        }
    }

    private void loadCount(long tick, int raw) {
        countRegister = effective(raw);
        countWritten = true;
        nullCount = true;
        switch (mode) {
            case 0, 4 -> {
                boolean out = mode == 4;
                if (gate) {
                    startPhase(tick + 1, countRegister, out ? output(tick) : false);
                } else {
                    stop(tick, out);
                    staticCount = countRegister % modulus();
                    suspendedCount = countRegister;
                    suspendedTerminal = false;
                }
                nullClearTick = tick + 1;
            }
            case 1, 5 -> nullClearTick = NEVER; // waits for a gate trigger
            default -> {
                if (!gate) {
                    nullClearTick = NEVER;
                } else if (!running) {
                    startPhase(tick + 1, countRegister, true);
                    nullClearTick = tick + 1;
                } else {
                    scheduleReload(tick);
                }
            }
        }
    }

    /**
     * A count written while mode 2 or 3 runs: mode 2 loads it at the end of the period, mode 3 at the end of the
     * current half-cycle.
     */
    private void scheduleReload(long tick) {
        long e = tick - loadTick;
        int n = phaseCount;
        long periodStart = e < 0 ? loadTick : loadTick + (e / n) * n;
        long boundary = periodStart + n;
        long phaseStart = boundary;
        if (mode == 3 && e >= 0 && e % n < (n + 1) / 2) {
            boundary = periodStart + (n + 1) / 2;
            phaseStart = boundary - (countRegister + 1) / 2;
        } else if (e < 0) {
            boundary = loadTick;
            phaseStart = loadTick;
        }
        hasPending = true;
        pendingTick = boundary;
        pendingPhaseStart = phaseStart;
        pendingCount = countRegister;
        nullClearTick = boundary;
    }

    /** Counts held while the gate is low in modes 0 and 4, resumed when it rises. */
    @StateField("suspendedCount") private int suspendedCount;
    @StateField("suspendedTerminal") private boolean suspendedTerminal;

    /** Drives the GATE input. */
    void setGate(long tick, boolean high) {
        sync(tick);
        if (high == gate) {
            return;
        }
        gate = high;
        switch (mode) {
            case 0, 4 -> {
                if (!high) {
                    if (running) {
                        boolean out = output(tick);
                        if (tick < loadTick) {
                            suspendedTerminal = false;
                            suspendedCount = phaseCount;
                        } else {
                            suspendedTerminal = terminalPassed || tick - loadTick >= phaseCount;
                            suspendedCount = count(tick);
                        }
                        stop(tick, out);
                    }
                } else if (countWritten && !running && !writeMsbNext) {
                    boolean out = staticOut;
                    startPhase(tick, suspendedCount, out);
                    terminalPassed = suspendedTerminal;
                    if (suspendedCount == 0 && !terminalPassed) {
                        phaseCount = modulus();
                    }
                    suspendedTerminal = false;
                }
            }
            case 1, 5 -> {
                if (high && countWritten) {
                    boolean out = output(tick);
                    startPhase(tick + 1, countRegister, out);
                    nullClearTick = Math.min(nullClearTick, tick + 1);
                }
            }
            default -> {
                if (!high) {
                    if (running) {
                        stop(tick, true);
                    }
                } else if (countWritten) {
                    startPhase(tick + 1, countRegister, true);
                    nullClearTick = Math.min(nullClearTick, tick + 1);
                }
            }
        }
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    /** Counter latch command (or the count half of a read-back): ignored while a latched count is unread. */
    void latchCount(long tick) {
        if (!countLatched) {
            countLatched = true;
            latchedCount = encoded(count(tick));
        }
    }

    /** Status half of a read-back: ignored while a latched status is unread. */
    void latchStatus(long tick) {
        if (!statusLatched) {
            statusLatched = true;
            latchedStatus = status(tick);
        }
    }

    private int encoded(int value) {
        return bcd ? toBcd(value) : value & 0xFFFF;
    }

    /** A byte read from the counter's data port. */
    int readData(long tick) {
        if (statusLatched) {
            statusLatched = false;
            return latchedStatus;
        }
        int value;
        if (countLatched) {
            value = latchedCount;
        } else {
            value = encoded(count(tick));
        }
        int result;
        switch (access) {
            case 1 -> {
                result = value & 0xFF;
                countLatched = false;
            }
            case 2 -> {
                result = value >> 8 & 0xFF;
                countLatched = false;
            }
            default -> {
                if (!readMsbNext) {
                    result = value & 0xFF;
                    readMsbNext = true;
                } else {
                    result = value >> 8 & 0xFF;
                    readMsbNext = false;
                    countLatched = false;
                }
            }
        }
        return result;
    }
}
