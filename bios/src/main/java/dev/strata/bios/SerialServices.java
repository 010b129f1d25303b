package dev.strata.bios;

import dev.strata.emulator.clock.MachineClock;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * INT 14h on the 16550 UARTs whose addresses POST put at 40:00: line set-up, send, receive and status, all through
 * the UART's registers. Send polls the line status by re-running the stub at once (the transmitter frees within a
 * character time); receive looks again after each interrupt in HLT. Both give up with the time-out bit after a
 * second of virtual time. No Java code loops or blocks.
 */
@StateClass("dev.strata.bios.SerialServices")
final class SerialServices {

    private static final int[] DIVISORS = {1047, 768, 384, 192, 96, 48, 24, 12};
    private static final long TIMEOUT_NANOS = 1_000_000_000L;

    private final transient IoBus io;
    private final transient MachineClock clock;
    private final transient BiosDataArea bda;
    @StateField("deadline") private long deadline;

    SerialServices(PhysicalMemory mem, IoBus io, MachineClock clock) {
        this.io = io;
        this.clock = clock;
        this.bda = new BiosDataArea(mem);
    }

    void call(BiosCall c) {
        int unit = c.dx();
        int base = unit < 4 ? bda.read16(BiosDataArea.COM_PORTS + unit * 2) : 0;
        if (base == 0) {
            c.setAh(0x80);
            return;
        }
        switch (c.ah()) {
            case 0x00 -> {
                int al = c.al();
                int divisor = DIVISORS[al >> 5];
                io.out(base + 3, 1, 0x80);
                io.out(base, 1, divisor & 0xFF);
                io.out(base + 1, 1, divisor >> 8);
                io.out(base + 3, 1, al & 0x1F);
                io.out(base + 1, 1, 0x00);
                status(c, base);
            }
            case 0x01 -> {
                if (!c.retry) {
                    deadline = clock.nanos() + TIMEOUT_NANOS;
                }
                int lsr = io.in(base + 5, 1);
                if ((lsr & 0x20) != 0) {
                    io.out(base, 1, c.al());
                    c.setAh(io.in(base + 5, 1) & 0x7F);
                } else if (clock.nanos() >= deadline) {
                    c.setAh(lsr | 0x80);
                } else {
                    c.spinAndRetry();
                }
            }
            case 0x02 -> {
                if (!c.retry) {
                    deadline = clock.nanos() + TIMEOUT_NANOS;
                }
                int lsr = io.in(base + 5, 1);
                if ((lsr & 0x01) != 0) {
                    c.setAl(io.in(base, 1));
                    c.setAh(lsr & 0x1E);
                } else if (clock.nanos() >= deadline) {
                    c.setAh(lsr & 0x1E | 0x80);
                } else {
                    c.waitAndRetry(); // in HLT: the timer tick (or any interrupt) has it look again
                }
            }
            case 0x03 -> status(c, base);
            default -> { }
        }
    }

    private void status(BiosCall c, int base) {
        c.setAh(io.in(base + 5, 1));
        c.setAl(io.in(base + 6, 1));
    }
}
