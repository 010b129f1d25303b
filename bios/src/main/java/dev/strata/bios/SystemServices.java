package dev.strata.bios;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.machine.PcHardware;
import dev.strata.emulator.memory.PhysicalMemory;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * INT 11h (equipment), INT 12h (conventional memory), INT 17h (printers: none fitted) and INT 15h: the A20 gate,
 * the memory size calls (88h, E801h, E820h), the configuration table, waiting (86h), the block move to extended
 * memory (87h), the keyboard intercept default (4Fh) and the device busy/complete hooks (90h/91h).
 */
@StateClass("dev.strata.bios.SystemServices")
final class SystemServices {

    static final int SMAP = 0x534D4150;
    private static final int UNSUPPORTED = 0x86;

    private final transient PcHardware hw;
    private final transient PhysicalMemory mem;
    private final transient BiosDataArea bda;
    @StateField("waitDeadline") private long waitDeadline;

    SystemServices(PcHardware hw) {
        this.hw = hw;
        this.mem = hw.memory();
        this.bda = new BiosDataArea(mem);
    }

    void equipment(BiosCall c) {
        c.setAx(bda.read16(BiosDataArea.EQUIPMENT));
    }

    void memorySize(BiosCall c) {
        c.setAx(bda.read16(BiosDataArea.MEMORY_KIB));
    }

    void printer(BiosCall c) {
        c.setAh(0x30 | 0x01); // no printer: "selected" and "out of paper" lines float, time-out
    }

    /** Extended memory above 1 MiB in KiB. */
    long extendedKib() {
        return Math.max(0, hw.memorySize() - 0x100000) / 1024;
    }

    void call(BiosCall c) {
        switch (c.ah()) {
            case 0x24 -> a20(c);
            case 0x4F -> { } // keyboard intercept: keep the scan code (CF stays set)
            case 0x86 -> waitMicroseconds(c);
            case 0x87 -> blockMove(c);
            case 0x88 -> {
                c.setAx((int) Math.min(0xFFFF, extendedKib()));
                c.carry(false);
            }
            case 0x90, 0x91 -> c.ok();
            case 0xC0 -> {
                c.setEs(BiosRom.SEGMENT);
                c.setBx(BiosRom.CONFIG_TABLE);
                c.ok();
            }
            case 0xC1 -> {
                c.setEs(bda.read16(BiosDataArea.EBDA_SEGMENT));
                c.carry(false);
            }
            case 0xE8 -> {
                if (c.al() == 0x01) {
                    e801(c);
                } else if (c.al() == 0x20 && c.cpu.r[Cpu.EDX] == SMAP) {
                    e820(c);
                } else {
                    c.fail(UNSUPPORTED);
                }
            }
            default -> c.fail(UNSUPPORTED);
        }
    }

    private void a20(BiosCall c) {
        switch (c.al()) {
            case 0x00, 0x01 -> {
                setA20(c.al() == 1);
                c.ok();
            }
            case 0x02 -> {
                c.setAl(hw.keyboardController().a20Enabled() ? 1 : 0);
                c.ok();
            }
            case 0x03 -> {
                c.setBx(0x0001); // through the keyboard controller
                c.ok();
            }
            default -> c.fail(UNSUPPORTED);
        }
    }

    /** Switches the A20 gate through the keyboard controller's output port, keeping its reset line inactive. */
    void setA20(boolean on) {
        hw.io().out(0x64, 1, 0xD0);
        int port = hw.keyboardController().readDataForFirmware() | 0x01; // the output port, not a key
        hw.io().out(0x64, 1, 0xD1);
        hw.io().out(0x60, 1, on ? port | 0x02 : port & ~0x02);
    }

    /** AH=86h: waits CX:DX microseconds of virtual time in HLT, the timer interrupt waking it to look again. */
    private void waitMicroseconds(BiosCall c) {
        long now = hw.clock().nanos();
        if (!c.retry) {
            long micros = (long) c.cx() << 16 | c.dx();
            waitDeadline = now + micros * 1000;
        }
        if (now < waitDeadline) {
            c.waitAndRetry();
            return;
        }
        c.ok();
    }

    /**
     * AH=87h: copies CX words between the source and destination descriptors of the table at ES:SI (at +10h and
     * +18h), with the A20 gate open for the copy as the BIOS's protected-mode trip would have it.
     */
    private void blockMove(BiosCall c) {
        int table = BiosCall.real(c.es(), c.si());
        int source = descriptorBase(table + 0x10);
        int target = descriptorBase(table + 0x18);
        int bytes = c.cx() * 2;
        boolean a20 = mem.a20();
        mem.setA20(true);
        for (int i = 0; i < bytes; i++) {
            mem.write8(target + i, mem.read8(source + i));
        }
        mem.setA20(a20);
        c.ok();
    }

    private int descriptorBase(int at) {
        return mem.read16(at + 2) | mem.read8(at + 4) << 16 | mem.read8(at + 7) << 24;
    }

    private void e801(BiosCall c) {
        long above1m = extendedKib();
        int low = (int) Math.min(above1m, 15 * 1024);
        long above16m = Math.max(0, hw.memorySize() - 16L * 1024 * 1024) / 65536;
        int high = (int) Math.min(above16m, 0xFFFF);
        c.setAx(low);
        c.setCx(low);
        c.setBx(high);
        c.setDx(high);
        c.carry(false);
    }

    /** AX=E820h: one map entry per call at ES:DI; EBX is the continuation (0 after the last). */
    private void e820(BiosCall c) {
        long[][] map = memoryMap();
        int index = c.cpu.r[Cpu.EBX];
        if (index < 0 || index >= map.length || (c.cpu.r[Cpu.ECX] & 0xFFFFFFFFL) < 20) {
            c.fail(UNSUPPORTED);
            return;
        }
        int at = BiosCall.real(c.es(), c.di());
        mem.write64(at, map[index][0]);
        mem.write64(at + 8, map[index][1]);
        mem.write32(at + 16, (int) map[index][2]);
        c.cpu.r[Cpu.EAX] = SMAP;
        c.cpu.r[Cpu.ECX] = 20;
        c.cpu.r[Cpu.EBX] = index + 1 < map.length ? index + 1 : 0;
        c.carry(false);
    }

    /**
     * Base, length and type (1 usable, 2 reserved) of each range the machine has, as SeaBIOS reports them on a PC:
     * conventional memory up to the EBDA, the EBDA, the BIOS ROM at F0000h, the RAM above 1 MiB, and the ROM's alias
     * at the top of the 4 GiB space. The holes (VGA and option ROM space, the PCI window) are not listed.
     */
    long[][] memoryMap() {
        long ebda = (long) bda.read16(BiosDataArea.EBDA_SEGMENT) << 4;
        if (ebda == 0) {
            ebda = 0xA0000;
        }
        long top = hw.memorySize();
        long rom = mem.romSize();
        long[] romAlias = {0x1_0000_0000L - rom, rom, 2};
        if (top <= 0x100000) {
            return new long[][] {{0, ebda, 1}, {ebda, 0xA0000 - ebda, 2}, {0xF0000, 0x10000, 2}, romAlias};
        }
        return new long[][] {{0, ebda, 1}, {ebda, 0xA0000 - ebda, 2}, {0xF0000, 0x10000, 2},
            {0x100000, top - 0x100000, 1}, romAlias};
    }
}
