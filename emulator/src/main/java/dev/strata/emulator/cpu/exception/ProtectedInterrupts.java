package dev.strata.emulator.cpu.exception;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.segment.Descriptors;
import dev.strata.emulator.cpu.segment.SegmentLoader;
import dev.strata.emulator.cpu.segment.TaskState;
import dev.strata.emulator.cpu.segment.TaskSwitch;

/**
 * Interrupt and exception delivery through the protected-mode IDT: 16- and 32-bit interrupt and trap gates, to
 * the same privilege level or (with the stack from the TSS) an inner one, with the error code pushed when the
 * exception has one, task gates (a task switch), and from virtual-8086 mode to ring 0 (segment registers saved
 * on the ring-0 stack and nulled).
 */
public final class ProtectedInterrupts {

    private ProtectedInterrupts() {
    }

    /**
     * Delivers {@code vector}. {@code software} marks INT n / INT3 / INTO, whose gate must have DPL &gt;= CPL;
     * {@code errorCode} is pushed when non-negative.
     */
    public static void deliver(Cpu c, int vector, int errorCode, boolean software) {
        int ext = software ? 0 : 1;
        int idtCode = vector * 8 + 2 + ext;
        if (Integer.compareUnsigned(vector * 8 + 7, c.idtLimit) > 0) {
            throw CpuFault.general(idtCode);
        }
        int a = c.idtBase + vector * 8;
        long gate = (c.readLinear32(a) & 0xFFFFFFFFL) | ((long) c.readLinear32(a + 4) << 32);
        int gateType = Descriptors.type(gate);
        if (gateType != Descriptors.INT_GATE16 && gateType != Descriptors.TRAP_GATE16
                && gateType != Descriptors.INT_GATE32 && gateType != Descriptors.TRAP_GATE32
                && gateType != Descriptors.TASK_GATE) {
            throw CpuFault.general(idtCode);
        }
        if (software && Descriptors.dpl(gate) < c.cpl) {
            throw CpuFault.general(idtCode);
        }
        if (!Descriptors.present(gate)) {
            throw CpuFault.notPresent(idtCode);
        }
        if (gateType == Descriptors.TASK_GATE) {
            int tss = Descriptors.gateSelector(gate);
            TaskSwitch.switchTo(c, tss, TaskSwitch.throughGate(c, gate), TaskSwitch.INTERRUPT);
            if (errorCode >= 0) {
                c.push((c.task.attributes & 8) != 0 ? 2 : 1, errorCode);
            }
            return;
        }
        int sel = Descriptors.gateSelector(gate);
        int target = Descriptors.gateOffset(gate);
        if ((sel & 0xFFFC) == 0) {
            throw CpuFault.general(ext);
        }
        long d = Descriptors.read(c, sel);
        int type = Descriptors.type(d);
        if (!Descriptors.isCode(type) || Descriptors.dpl(d) > c.cpl) {
            throw CpuFault.general((sel & 0xFFFC) + ext);
        }
        if (!Descriptors.present(d)) {
            throw CpuFault.notPresent((sel & 0xFFFC) + ext);
        }
        int size = (gateType & 8) != 0 ? 2 : 1;
        int newCpl = Descriptors.isConforming(type) ? c.cpl : Descriptors.dpl(d);
        boolean v86 = (c.eflags & Flags.VM) != 0;
        if (v86 && newCpl != 0) {
            throw CpuFault.general((sel & 0xFFFC) + ext); // virtual-8086 interrupts go to ring 0 only
        }
        if (Integer.compareUnsigned(target, Descriptors.limit(d)) > 0) {
            throw CpuFault.general(0);
        }
        int flags = Flags.get(c);
        int oldCs = c.cs.selector;
        if (newCpl < c.cpl) {
            int oldSs = c.ss.selector;
            int oldEsp = c.r[Cpu.ESP];
            int ss = TaskState.stackSelector(c, newCpl);
            int esp = TaskState.stackPointer(c, newCpl);
            SegmentLoader.loadStack(c, ss, newCpl);
            c.r[Cpu.ESP] = esp;
            c.cpl = newCpl; // the pushes below are the new level's (supervisor pages when paging)
            if (v86) {
                for (int s : new int[] {Cpu.GS, Cpu.FS, Cpu.DS, Cpu.ES}) {
                    c.push(size, c.seg[s].selector);
                }
            }
            c.push(size, oldSs);
            c.push(size, oldEsp);
        }
        c.push(size, flags);
        c.push(size, oldCs);
        c.push(size, c.eip);
        if (errorCode >= 0) {
            c.push(size, errorCode);
        }
        SegmentLoader.commitCode(c, sel, d, newCpl);
        c.eip = target;
        if (v86) {
            for (int s : new int[] {Cpu.GS, Cpu.FS, Cpu.DS, Cpu.ES}) {
                c.seg[s].loadNull(0);
            }
        }
        int clear = Flags.TF | Flags.NT | Flags.RF | Flags.VM;
        if ((gateType & 1) == 0) {
            clear |= Flags.IF; // interrupt gate, not trap gate
        }
        c.eflags &= ~clear;
    }
}
