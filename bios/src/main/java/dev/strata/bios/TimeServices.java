package dev.strata.bios;

import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;

/**
 * Time: the Java half of the IRQ 0 handler (the BDA tick count at 40:6C with its midnight rollover, and the
 * diskette motor time-out) and INT 1Ah (ticks; the RTC's time and date in BCD, read and written through its ports).
 */
final class TimeServices {

    private final IoBus io;
    private final BiosDataArea bda;

    TimeServices(PhysicalMemory mem, IoBus io) {
        this.io = io;
        this.bda = new BiosDataArea(mem);
    }

    /** One timer tick (IRQ 0, 18.2 times a second). */
    void tick() {
        int ticks = bda.read32(BiosDataArea.TIMER_TICKS) + 1;
        if (ticks >= BiosDataArea.TICKS_PER_DAY) {
            ticks = 0;
            bda.write8(BiosDataArea.TIMER_ROLLOVER, 1);
        }
        bda.write32(BiosDataArea.TIMER_TICKS, ticks);
        int motor = bda.read8(BiosDataArea.FLOPPY_MOTOR_TIMEOUT);
        if (motor > 0) {
            bda.write8(BiosDataArea.FLOPPY_MOTOR_TIMEOUT, motor - 1);
            if (motor == 1) {
                bda.write8(BiosDataArea.FLOPPY_MOTOR, bda.read8(BiosDataArea.FLOPPY_MOTOR) & 0xF0);
            }
        }
    }

    void call(BiosCall c) {
        switch (c.ah()) {
            case 0x00 -> {
                int ticks = bda.read32(BiosDataArea.TIMER_TICKS);
                c.setCx(ticks >>> 16);
                c.setDx(ticks);
                c.setAl(bda.read8(BiosDataArea.TIMER_ROLLOVER));
                bda.write8(BiosDataArea.TIMER_ROLLOVER, 0);
            }
            case 0x01 -> {
                bda.write32(BiosDataArea.TIMER_TICKS, c.cx() << 16 | c.dx());
                bda.write8(BiosDataArea.TIMER_ROLLOVER, 0);
            }
            case 0x02 -> {
                c.setCh(cmos(0x04));
                c.setCl(cmos(0x02));
                c.setDh(cmos(0x00));
                c.setDl(cmos(0x0B) & 0x01);
                c.ok();
            }
            case 0x03 -> {
                setting(() -> {
                    writeCmos(0x04, c.ch());
                    writeCmos(0x02, c.cl());
                    writeCmos(0x00, c.dh());
                    writeCmos(0x0B, cmos(0x0B) & ~0x01 | c.dl() & 0x01);
                });
                c.ok();
            }
            case 0x04 -> {
                c.setCh(cmos(0x32));
                c.setCl(cmos(0x09));
                c.setDh(cmos(0x08));
                c.setDl(cmos(0x07));
                c.ok();
            }
            case 0x05 -> {
                setting(() -> {
                    writeCmos(0x32, c.ch());
                    writeCmos(0x09, c.cl());
                    writeCmos(0x08, c.dh());
                    writeCmos(0x07, c.dl());
                });
                c.ok();
            }
            default -> c.carry(true); // alarms and the rest: not offered
        }
    }

    /** Holds the RTC's update cycle (register B SET bit) while {@code writes} change time registers. */
    private void setting(Runnable writes) {
        int b = cmos(0x0B);
        writeCmos(0x0B, b | 0x80);
        writes.run();
        writeCmos(0x0B, cmos(0x0B) & ~0x80 | 0x02);
    }

    /** Reads CMOS register {@code index}, leaving NMI enabled. */
    int cmos(int index) {
        io.out(0x70, 1, index & 0x7F);
        return io.in(0x71, 1) & 0xFF;
    }

    void writeCmos(int index, int value) {
        io.out(0x70, 1, index & 0x7F);
        io.out(0x71, 1, value & 0xFF);
    }

    /** Seconds since midnight from the RTC (BCD or binary as register B says), for the POST tick count. */
    int secondsSinceMidnight() {
        boolean binary = (cmos(0x0B) & 0x04) != 0;
        int h = decode(cmos(0x04) & 0x7F, binary);
        int m = decode(cmos(0x02), binary);
        int s = decode(cmos(0x00), binary);
        return h * 3600 + m * 60 + s;
    }

    private static int decode(int v, boolean binary) {
        return binary ? v : (v >> 4) * 10 + (v & 0x0F);
    }
}
