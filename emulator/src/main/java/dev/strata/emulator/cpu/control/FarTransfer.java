package dev.strata.emulator.cpu.control;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.exception.CpuFault;
import dev.strata.emulator.cpu.segment.Descriptors;
import dev.strata.emulator.cpu.segment.SegmentLoader;
import dev.strata.emulator.cpu.segment.TaskState;
import dev.strata.emulator.cpu.segment.TaskSwitch;

/**
 * Far JMP, CALL, RET and IRET in protected mode: to code segments and through call gates at the same privilege
 * level, CALL through a gate to an inner level (stack from the TSS, parameters copied), RET and IRET to an outer
 * level, task switches (TSS or task-gate targets, IRET with NT), and IRET into virtual-8086 mode.
 */
public final class FarTransfer {

    private FarTransfer() {
    }

    private static int cut(int offset, int size) {
        return size == 2 ? offset : offset & 0xFFFF;
    }

    private static void checkTarget(int offset, long d) {
        if (Integer.compareUnsigned(offset, Descriptors.limit(d)) > 0) {
            throw CpuFault.general(0);
        }
    }

    /** The descriptor a far JMP or CALL names, #GP(0) for a null selector. */
    private static long target(Cpu c, int sel) {
        if ((sel & 0xFFFC) == 0) {
            throw CpuFault.general(0);
        }
        return Descriptors.read(c, sel);
    }

    /** Checks a call gate: DPL at least CPL and RPL, present. */
    private static void checkGate(Cpu c, int sel, long gate) {
        int dpl = Descriptors.dpl(gate);
        if (dpl < c.cpl || dpl < (sel & 3)) {
            throw CpuFault.general(sel & 0xFFFC);
        }
        if (!Descriptors.present(gate)) {
            throw CpuFault.notPresent(sel & 0xFFFC);
        }
    }

    private static boolean isCallGate(int type) {
        return type == Descriptors.CALL_GATE16 || type == Descriptors.CALL_GATE32;
    }

    /** Code segment named by a gate: present code with DPL &lt;= CPL. */
    private static long gateCode(Cpu c, int sel) {
        int code = sel & 0xFFFC;
        if (code == 0) {
            throw CpuFault.general(0);
        }
        long d = Descriptors.read(c, sel);
        if (!Descriptors.isCode(Descriptors.type(d)) || Descriptors.dpl(d) > c.cpl) {
            throw CpuFault.general(code);
        }
        if (!Descriptors.present(d)) {
            throw CpuFault.notPresent(code);
        }
        return d;
    }

    /** Direct code-segment target at the current level: conforming DPL &lt;= CPL, else RPL &lt;= CPL = DPL. */
    private static long directCode(Cpu c, int sel, long d) {
        int type = Descriptors.type(d);
        if (!Descriptors.isCode(type)) {
            throw CpuFault.general(sel & 0xFFFC);
        }
        d = SegmentLoader.codeDescriptor(c, sel, c.cpl);
        if (!Descriptors.isConforming(type) && (sel & 3) > c.cpl) {
            throw CpuFault.general(sel & 0xFFFC);
        }
        return d;
    }

    /** Far JMP to {@code sel:offset} ({@code size}: 1 = 16-bit, 2 = 32-bit operand). */
    public static void jump(Cpu c, int sel, int offset, int size) {
        long d = target(c, sel);
        int type = Descriptors.type(d);
        if (isCallGate(type)) {
            checkGate(c, sel, d);
            int cs = Descriptors.gateSelector(d);
            int off = Descriptors.gateOffset(d);
            long code = gateCode(c, cs);
            if (!Descriptors.isConforming(Descriptors.type(code)) && Descriptors.dpl(code) != c.cpl) {
                throw CpuFault.general(cs & 0xFFFC);
            }
            checkTarget(off, code);
            SegmentLoader.commitCode(c, cs, code, c.cpl);
            c.eip = off;
            return;
        }
        if (type < 0x10) {
            toTask(c, sel, d, TaskSwitch.JMP);
            return;
        }
        d = directCode(c, sel, d);
        offset = cut(offset, size);
        checkTarget(offset, d);
        SegmentLoader.commitCode(c, sel, d, c.cpl);
        c.eip = offset;
    }

    /** JMP or CALL to a TSS descriptor or a task gate: DPL at least CPL and RPL, then the task switch. */
    private static void toTask(Cpu c, int sel, long d, int kind) {
        int type = Descriptors.type(d);
        if (type != Descriptors.TASK_GATE && type != Descriptors.TSS16_AVAILABLE
                && type != Descriptors.TSS32_AVAILABLE) {
            throw CpuFault.general(sel & 0xFFFC);
        }
        checkGate(c, sel, d);
        if (type == Descriptors.TASK_GATE) {
            int tss = Descriptors.gateSelector(d);
            TaskSwitch.switchTo(c, tss, TaskSwitch.throughGate(c, d), kind);
        } else {
            TaskSwitch.switchTo(c, sel, d, kind);
        }
    }

    /** Far CALL to {@code sel:offset}; the return address is CS:EIP as they stand. */
    public static void call(Cpu c, int sel, int offset, int size) {
        long d = target(c, sel);
        int type = Descriptors.type(d);
        if (isCallGate(type)) {
            callGate(c, sel, d);
            return;
        }
        if (type < 0x10) {
            toTask(c, sel, d, TaskSwitch.CALL);
            return;
        }
        d = directCode(c, sel, d);
        offset = cut(offset, size);
        checkTarget(offset, d);
        c.push(size, c.cs.selector);
        c.push(size, c.eip);
        SegmentLoader.commitCode(c, sel, d, c.cpl);
        c.eip = offset;
    }

    private static void callGate(Cpu c, int sel, long gate) {
        checkGate(c, sel, gate);
        int cs = Descriptors.gateSelector(gate);
        int off = Descriptors.gateOffset(gate);
        int size = (Descriptors.type(gate) & 8) != 0 ? 2 : 1;
        long code = gateCode(c, cs);
        checkTarget(off, code);
        int oldCs = c.cs.selector;
        int oldEip = c.eip;
        int dpl = Descriptors.dpl(code);
        if (!Descriptors.isConforming(Descriptors.type(code)) && dpl < c.cpl) {
            int params = Descriptors.high(gate) & 0x1F;
            int oldSs = c.ss.selector;
            int oldEsp = c.r[Cpu.ESP];
            int oldMask = c.spMask();
            int oldBase = c.ss.base;
            int[] copied = new int[params]; // rare path: inter-level calls
            for (int k = 0; k < params; k++) {
                copied[k] = c.read(size, Cpu.SS, (oldEsp + k * (size == 2 ? 4 : 2)) & oldMask);
            }
            int ss = TaskState.stackSelector(c, dpl);
            int esp = TaskState.stackPointer(c, dpl);
            SegmentLoader.loadStack(c, ss, dpl);
            c.r[Cpu.ESP] = esp;
            c.cpl = dpl;
            c.push(size, oldSs);
            c.push(size, oldEsp);
            for (int k = params - 1; k >= 0; k--) {
                c.push(size, copied[k]);
            }
            c.push(size, oldCs);
            c.push(size, oldEip);
            SegmentLoader.commitCode(c, cs, code, dpl);
            c.eip = off;
            return;
        }
        c.push(size, oldCs);
        c.push(size, oldEip);
        SegmentLoader.commitCode(c, cs, code, c.cpl);
        c.eip = off;
    }

    /** Far RET, releasing {@code extra} bytes of parameters. */
    public static void ret(Cpu c, int size, int extra) {
        int bytes = size == 2 ? 4 : 2;
        int off = cut(c.peek(size, 0), size);
        int sel = c.peek(size, bytes) & 0xFFFF;
        int rpl = sel & 3;
        if (rpl < c.cpl) {
            throw CpuFault.general(sel & 0xFFFC);
        }
        long d = SegmentLoader.codeDescriptor(c, sel, rpl);
        checkTarget(off, d);
        if (rpl == c.cpl) {
            release(c, 2 * bytes + extra);
            SegmentLoader.commitCode(c, sel, d, rpl);
            c.eip = off;
            return;
        }
        int esp = c.peek(size, 2 * bytes + extra);
        int ss = c.peek(size, 3 * bytes + extra) & 0xFFFF;
        SegmentLoader.loadStack(c, ss, rpl);
        SegmentLoader.commitCode(c, sel, d, rpl);
        c.eip = off;
        setStackPointer(c, esp + extra, size);
        SegmentLoader.dropInaccessible(c);
    }

    /** IRET in protected mode: same level, or to an outer level with SS:ESP from the stack. */
    public static void iret(Cpu c, int size) {
        if ((c.eflags & Flags.NT) != 0) {
            int back = c.readLinear16(c.task.base);
            if ((back & 4) != 0 || (back & 0xFFFC) == 0) {
                throw CpuFault.invalidTss(back & 0xFFFC);
            }
            TaskSwitch.switchTo(c, back, Descriptors.read(c, back), TaskSwitch.IRET);
            c.iretDone();
            return;
        }
        int bytes = size == 2 ? 4 : 2;
        int off = cut(c.peek(size, 0), size);
        int sel = c.peek(size, bytes) & 0xFFFF;
        int flags = c.peek(size, 2 * bytes);
        if (size == 2 && (flags & Flags.VM) != 0 && c.cpl == 0) {
            enterV86(c, off, sel, flags);
            return;
        }
        int rpl = sel & 3;
        if (rpl < c.cpl) {
            throw CpuFault.general(sel & 0xFFFC);
        }
        long d = SegmentLoader.codeDescriptor(c, sel, rpl);
        checkTarget(off, d);
        int mask = size == 2 ? 0x257FD5 : 0x7FD5;
        if (c.cpl > 0) {
            mask &= ~Flags.IOPL;
        }
        if (c.cpl > ((c.eflags >>> 12) & 3)) {
            mask &= ~Flags.IF;
        }
        if (rpl == c.cpl) {
            release(c, 3 * bytes);
            SegmentLoader.commitCode(c, sel, d, rpl);
            c.eip = off;
            Flags.set(c, flags, mask);
            c.iretDone();
            return;
        }
        int esp = c.peek(size, 3 * bytes);
        int ss = c.peek(size, 4 * bytes) & 0xFFFF;
        SegmentLoader.loadStack(c, ss, rpl);
        SegmentLoader.commitCode(c, sel, d, rpl);
        c.eip = off;
        Flags.set(c, flags, mask);
        setStackPointer(c, esp, size);
        SegmentLoader.dropInaccessible(c);
        c.iretDone();
    }

    /**
     * IRET from ring 0 with VM set in the popped EFLAGS: EIP, CS, EFLAGS, ESP, SS, ES, DS, FS, GS come off the
     * stack, every segment register is loaded the real-mode way, and the CPU runs at CPL 3.
     */
    private static void enterV86(Cpu c, int eip, int cs, int flags) {
        int esp = c.peek(2, 12);
        int[] sel = new int[6];
        sel[Cpu.CS] = cs;
        sel[Cpu.SS] = c.peek(2, 16);
        sel[Cpu.ES] = c.peek(2, 20);
        sel[Cpu.DS] = c.peek(2, 24);
        sel[Cpu.FS] = c.peek(2, 28);
        sel[Cpu.GS] = c.peek(2, 32);
        Flags.set(c, flags, 0x3F7FD5);
        for (int s = 0; s < 6; s++) {
            c.seg[s].loadV86(sel[s]);
        }
        c.cpl = 3;
        c.r[Cpu.ESP] = esp;
        c.eip = eip & 0xFFFF;
        c.codeSizeChanged();
        c.iretDone();
    }

    private static void release(Cpu c, int bytes) {
        int mask = c.spMask();
        int sp = (c.r[Cpu.ESP] + bytes) & mask;
        c.r[Cpu.ESP] = mask == -1 ? sp : (c.r[Cpu.ESP] & 0xFFFF0000) | sp;
    }

    private static void setStackPointer(Cpu c, int esp, int size) {
        if (c.ss.big()) {
            c.r[Cpu.ESP] = size == 2 ? esp : esp & 0xFFFF;
        } else {
            c.r[Cpu.ESP] = (c.r[Cpu.ESP] & 0xFFFF0000) | (esp & 0xFFFF);
        }
    }
}
