package dev.strata.emulator.cpu.segment;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Segment;
import dev.strata.emulator.cpu.exception.CpuFault;

/**
 * Protected-mode segment register loads with the SDM's checks, in the SDM's order: null selector, table limit,
 * descriptor type, privilege, presence. The caller's instruction faults with the selector as error code.
 */
public final class SegmentLoader {

    private SegmentLoader() {
    }

    /** Loads DS, ES, FS, GS or SS from a selector. */
    public static void load(Cpu c, int s, int sel) {
        sel &= 0xFFFF;
        if (s == Cpu.SS) {
            loadStack(c, sel, c.cpl);
            return;
        }
        if ((sel & 0xFFFC) == 0) {
            c.seg[s].loadNull(sel);
            return;
        }
        long d = Descriptors.read(c, sel);
        int type = Descriptors.type(d);
        int code = sel & 0xFFFC;
        // data, or readable code
        if ((type & 0x10) == 0 || (type & 0x1A) == 0x18) {
            throw CpuFault.general(code);
        }
        int dpl = Descriptors.dpl(d);
        if (!Descriptors.isConforming(type) && ((sel & 3) > dpl || c.cpl > dpl)) {
            throw CpuFault.general(code);
        }
        if (!Descriptors.present(d)) {
            throw CpuFault.notPresent(code);
        }
        c.seg[s].loadDescriptor(sel, Descriptors.low(d), Descriptors.markAccessed(c, sel, d));
    }

    /** Loads SS for privilege level {@code pl}: a present writable data segment with RPL = DPL = pl. */
    public static void loadStack(Cpu c, int sel, int pl) {
        int code = sel & 0xFFFC;
        if (code == 0) {
            throw CpuFault.general(0);
        }
        if ((sel & 3) != pl) {
            throw CpuFault.general(code);
        }
        long d = Descriptors.read(c, sel);
        if ((Descriptors.type(d) & 0x1A) != 0x12 || Descriptors.dpl(d) != pl) {
            throw CpuFault.general(code);
        }
        if (!Descriptors.present(d)) {
            throw CpuFault.stack(code);
        }
        c.ss.loadDescriptor(sel, Descriptors.low(d), Descriptors.markAccessed(c, sel, d));
    }

    /**
     * Reads and checks a code segment descriptor for a far transfer to privilege level {@code cpl} (same level
     * for a direct JMP or CALL, the return level for RET and IRET): present code, conforming with DPL &lt;= cpl or
     * non-conforming with DPL = cpl. Returns the descriptor.
     */
    public static long codeDescriptor(Cpu c, int sel, int cpl) {
        int code = sel & 0xFFFC;
        if (code == 0) {
            throw CpuFault.general(0);
        }
        long d = Descriptors.read(c, sel);
        int type = Descriptors.type(d);
        if (!Descriptors.isCode(type)) {
            throw CpuFault.general(code);
        }
        int dpl = Descriptors.dpl(d);
        if (Descriptors.isConforming(type) ? dpl > cpl : dpl != cpl) {
            throw CpuFault.general(code);
        }
        if (!Descriptors.present(d)) {
            throw CpuFault.notPresent(code);
        }
        return d;
    }

    /** Commits a checked code descriptor to CS at privilege level {@code cpl} (the selector's RPL becomes it). */
    public static void commitCode(Cpu c, int sel, long d, int cpl) {
        int high = Descriptors.markAccessed(c, sel, d);
        boolean wasBig = c.cs.big();
        c.cs.loadDescriptor((sel & 0xFFFC) | cpl, Descriptors.low(d), high);
        if (c.cs.big() != wasBig) {
            c.codeSizeChanged();
        }
        c.cpl = cpl;
    }

    /** Direct CS load at the current privilege level (used by plain far JMP to a code segment). */
    public static void loadCode(Cpu c, int sel) {
        long d = codeDescriptor(c, sel, c.cpl);
        if (!Descriptors.isConforming(Descriptors.type(d)) && (sel & 3) > c.cpl) {
            throw CpuFault.general(sel & 0xFFFC);
        }
        commitCode(c, sel, d, c.cpl);
    }

    /** After a return to an outer level: data segments the new level may not use become null. */
    public static void dropInaccessible(Cpu c) {
        for (int s : new int[] {Cpu.ES, Cpu.DS, Cpu.FS, Cpu.GS}) {
            Segment sg = c.seg[s];
            int type = sg.attributes & 0x1F;
            boolean conformingCode = (type & 0x1C) == 0x1C;
            if ((sg.selector & 0xFFFC) != 0 && !conformingCode && sg.dpl() < c.cpl) {
                sg.loadNull(0);
            }
        }
    }
}
