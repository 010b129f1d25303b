package dev.strata.emulator.cpu.segment;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.exception.CpuFault;

/**
 * Hardware task switches (JMP or CALL to a TSS or task gate, an interrupt through a task gate, IRET with NT):
 * the outgoing state goes into the current TSS, the incoming one comes from the new TSS (16- or 32-bit), with
 * the busy bits, the back link and NT kept as the SDM says, and CR0.TS set. Segment loads in the new task fault
 * as ordinary loads do (#GP/#NP/#SS rather than #TS); switches into virtual-8086 tasks are not modelled.
 */
public final class TaskSwitch {

    /** Why the switch happens: it decides busy bits, NT and the back link. */
    public static final int JMP = 0, CALL = 1, IRET = 2, INTERRUPT = 3;

    private static final int[] SEG32 = {0x48, 0x4C, 0x50, 0x54, 0x58, 0x5C};
    private static final int[] SEG16 = {0x22, 0x24, 0x26, 0x28, -1, -1};

    private TaskSwitch() {
    }

    /** The TSS descriptor a task gate names (GDT only, available, present), #GP/#NP otherwise. */
    public static long throughGate(Cpu c, long gate) {
        int sel = Descriptors.gateSelector(gate);
        if ((sel & 4) != 0 || (sel & 0xFFFC) == 0) {
            throw CpuFault.general(sel & 0xFFFC);
        }
        return Descriptors.read(c, sel);
    }

    /** Switches to the task whose TSS selector is {@code sel} and descriptor {@code d}. */
    public static void switchTo(Cpu c, int sel, long d, int kind) {
        int code = sel & 0xFFFC;
        int type = Descriptors.type(d);
        boolean busy = (type & 2) != 0;
        if ((type & 0x15) != 1 || (sel & 4) != 0) {
            throw CpuFault.general(code); // not a TSS descriptor
        }
        if (kind == IRET ? !busy : busy) {
            throw kind == IRET ? CpuFault.invalidTss(code) : CpuFault.general(code);
        }
        if (!Descriptors.present(d)) {
            throw CpuFault.notPresent(code);
        }
        boolean new32 = (type & 8) != 0;
        if (Descriptors.limit(d) < (new32 ? 0x67 : 0x2B)) {
            throw CpuFault.invalidTss(code);
        }
        int newBase = Descriptors.base(d);

        if ((c.task.selector & 0xFFFC) == 0) {
            throw CpuFault.invalidTss(0); // no current task to save into
        }
        int flags = Flags.get(c);
        if (kind == IRET) {
            flags &= ~Flags.NT;
        }
        if (kind == JMP || kind == IRET) {
            int old = Descriptors.address(c, c.task.selector) + 5;
            c.writeLinear8(old, c.readLinear8(old) & ~2);
        }
        save(c, flags);
        if (kind == CALL || kind == INTERRUPT) {
            c.writeLinear16(newBase, c.task.selector);
        }
        if (kind != IRET) {
            int a = Descriptors.address(c, sel) + 5;
            c.writeLinear8(a, c.readLinear8(a) | 2);
        }
        c.task.loadDescriptor(sel, Descriptors.low(d), Descriptors.high(d) | 0x200);
        c.cr0 |= 8; // TS: the FPU state belongs to the previous task

        int[] segs = new int[6];
        int newFlags;
        int ldt;
        if (new32) {
            int cr3 = c.readLinear32(newBase + 0x1C);
            c.eip = c.readLinear32(newBase + 0x20);
            newFlags = c.readLinear32(newBase + 0x24);
            for (int r = 0; r < 8; r++) {
                c.r[r] = c.readLinear32(newBase + 0x28 + 4 * r);
            }
            for (int s = 0; s < 6; s++) {
                segs[s] = c.readLinear16(newBase + SEG32[s]);
            }
            ldt = c.readLinear16(newBase + 0x60);
            if (c.paging && cr3 != c.cr3) {
                c.cr3 = cr3;
                c.addressSpaceChanged();
            }
        } else {
            c.eip = c.readLinear16(newBase + 0x0E);
            newFlags = c.readLinear16(newBase + 0x10) | (flags & 0xFFFF0000);
            for (int r = 0; r < 8; r++) {
                c.r[r] = (c.r[r] & 0xFFFF0000) | c.readLinear16(newBase + 0x12 + 2 * r);
            }
            for (int s = 0; s < 4; s++) {
                segs[s] = c.readLinear16(newBase + SEG16[s]);
            }
            ldt = c.readLinear16(newBase + 0x2A);
        }
        if (kind == CALL || kind == INTERRUPT) {
            newFlags |= Flags.NT;
        }
        Flags.set(c, newFlags, -1);
        if ((c.eflags & Flags.VM) != 0) {
            throw CpuFault.invalidTss(code); // virtual-8086 tasks are not modelled
        }
        loadLdt(c, ldt);
        int cpl = segs[Cpu.CS] & 3;
        c.cpl = cpl;
        long cs = SegmentLoader.codeDescriptor(c, segs[Cpu.CS], cpl);
        SegmentLoader.commitCode(c, segs[Cpu.CS], cs, cpl);
        SegmentLoader.loadStack(c, segs[Cpu.SS], cpl);
        for (int s : new int[] {Cpu.ES, Cpu.DS, Cpu.FS, Cpu.GS}) {
            SegmentLoader.load(c, s, segs[s]);
        }
        if (Integer.compareUnsigned(c.eip, c.cs.limit) > 0) {
            throw CpuFault.general(0);
        }
    }

    /** Writes the outgoing task's registers into its TSS. */
    private static void save(Cpu c, int flags) {
        int b = c.task.base;
        if ((c.task.attributes & 8) != 0) {
            c.writeLinear32(b + 0x20, c.eip);
            c.writeLinear32(b + 0x24, flags);
            for (int r = 0; r < 8; r++) {
                c.writeLinear32(b + 0x28 + 4 * r, c.r[r]);
            }
            for (int s = 0; s < 6; s++) {
                c.writeLinear16(b + SEG32[s], c.seg[s].selector);
            }
        } else {
            c.writeLinear16(b + 0x0E, c.eip);
            c.writeLinear16(b + 0x10, flags);
            for (int r = 0; r < 8; r++) {
                c.writeLinear16(b + 0x12 + 2 * r, c.r[r]);
            }
            for (int s = 0; s < 4; s++) {
                c.writeLinear16(b + SEG16[s], c.seg[s].selector);
            }
        }
    }

    private static void loadLdt(Cpu c, int sel) {
        if ((sel & 0xFFFC) == 0) {
            c.ldt.loadNull(sel);
            return;
        }
        if ((sel & 4) != 0) {
            throw CpuFault.invalidTss(sel & 0xFFFC);
        }
        long d = Descriptors.read(c, sel);
        if (Descriptors.type(d) != Descriptors.LDT || !Descriptors.present(d)) {
            throw CpuFault.invalidTss(sel & 0xFFFC);
        }
        c.ldt.loadDescriptor(sel, Descriptors.low(d), Descriptors.high(d));
    }
}
