package dev.strata.emulator.cpu.control;

import static dev.strata.emulator.cpu.decode.OpSpec.DWORD;
import static dev.strata.emulator.cpu.decode.OpSpec.NO_IMM;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.Segment;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.decode.OpTable;
import dev.strata.emulator.cpu.exception.CpuFault;

/**
 * SYSENTER and SYSEXIT (0F 34, 0F 35): the P6's fast system call. They load flat ring-0 or ring-3 code and stack
 * segments derived from IA32_SYSENTER_CS without reading the GDT, as the SDM describes, and fault with #GP(0)
 * in real mode, when IA32_SYSENTER_CS is null, and (SYSEXIT) outside ring 0.
 */
public final class FastSystemCall {

    /** Flat 4 GiB, 32-bit, present, accessed: execute/read code and read/write data, DPL in bits 5-6. */
    private static final int CODE = 0x9B | Segment.ATTR_BIG | Segment.ATTR_GRANULAR;
    private static final int DATA = 0x93 | Segment.ATTR_BIG | Segment.ATTR_GRANULAR;

    private FastSystemCall() {
    }

    static final Exec SYSENTER = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int cs = c.msr.sysenterCs & 0xFFFC;
            if ((c.cr0 & 1) == 0 || cs == 0) {
                throw CpuFault.general(0);
            }
            boolean wasBig = c.cs.big();
            c.eflags &= ~(Flags.VM | Flags.IF | Flags.RF);
            flat(c, Cpu.CS, cs, CODE);
            flat(c, Cpu.SS, cs + 8, DATA);
            c.cpl = 0;
            c.r[Cpu.ESP] = c.msr.sysenterEsp;
            c.eip = c.msr.sysenterEip;
            if (!wasBig) {
                c.codeSizeChanged(); // from virtual-8086 or 16-bit code
            }
        }
    };

    static final Exec SYSEXIT = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int cs = c.msr.sysenterCs & 0xFFFC;
            if ((c.cr0 & 1) == 0 || cs == 0 || c.cpl != 0) {
                throw CpuFault.general(0);
            }
            boolean wasBig = c.cs.big();
            flat(c, Cpu.CS, (cs + 16) | 3, CODE | 0x60);
            flat(c, Cpu.SS, (cs + 24) | 3, DATA | 0x60);
            c.cpl = 3;
            c.r[Cpu.ESP] = c.r[Cpu.ECX];
            c.eip = c.r[Cpu.EDX];
            if (!wasBig) {
                c.codeSizeChanged();
            }
        }
    };

    private static void flat(Cpu c, int s, int selector, int attributes) {
        Segment sg = c.seg[s];
        sg.selector = selector & 0xFFFF;
        sg.base = 0;
        sg.limit = -1;
        sg.attributes = attributes;
        sg.protectedWindows();
    }

    public static void register(OpTable t) {
        t.op(0x134, false, DWORD, NO_IMM, SYSENTER).ends();
        t.op(0x135, false, DWORD, NO_IMM, SYSEXIT).ends();
    }
}
