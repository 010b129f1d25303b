package dev.strata.emulator.cpu.translate;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.decode.Block;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.exception.CpuFault;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Writes a translation's {@code run(Cpu, int)}: the block's instructions in order, the common ones as bytecode of
 * their own ({@link InstructionEmitter}, registers and lazy flags in locals), the others as calls of their handler
 * on constants. Whatever leaves the method (the end of the block, an instruction that asks to leave, a fault) leaves
 * the CPU exactly as the interpreter's {@link Block#run} would: registers, flags, EIP, the faulting EIP and the
 * instruction count.
 */
final class BlockEmitter {

    private static final String CPU = Type.getInternalName(Cpu.class);
    private static final String EXEC = Type.getInternalName(Exec.class);
    private static final String INSN = Type.getInternalName(Insn.class);
    private static final String FAULT = Type.getInternalName(CpuFault.class);
    private static final int CPU_LOCAL = 1, MAX = 2, ENTRY_EIP = 3, REGS = 4, FIRST_FREE = 5;

    private final MethodVisitor m;
    private final Block block;
    /** Makes the class-data constant for an object (an Insn or an Exec) and its internal type name. */
    private final BiFunction<Object, String, Object> constant;
    private final LocalSlots slots = new LocalSlots(FIRST_FREE);
    private final RegisterLocals regs;
    private final FlagLocals flags;
    private final InstructionEmitter native_;
    private final List<FaultPath> faultPaths = new ArrayList<>();
    private final int[] offsets;

    BlockEmitter(MethodVisitor m, Block block, BiFunction<Object, String, Object> constant) {
        this.m = m;
        this.block = block;
        this.constant = constant;
        this.regs = new RegisterLocals(m, slots, REGS);
        this.flags = new FlagLocals(m, CPU_LOCAL);
        this.native_ = new InstructionEmitter(m, CPU_LOCAL, regs, flags, slots);
        Insn[] insns = block.insns;
        offsets = new int[insns.length + 1];
        for (int k = 0; k < insns.length; k++) {
            offsets[k + 1] = offsets[k] + insns[k].len();
        }
    }

    /**
     * Goes on at the returned label unless the instruction just run asked to leave the block ({@code blockExit});
     * when it did, clears the request and falls through into the code that leaves, which the caller writes.
     */
    private Label unlessAskedToLeave() {
        Label stay = new Label();
        m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
        m.visitFieldInsn(Opcodes.GETFIELD, CPU, "blockExit", "Z");
        m.visitJumpInsn(Opcodes.IFEQ, stay);
        m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
        m.visitInsn(Opcodes.ICONST_0);
        m.visitFieldInsn(Opcodes.PUTFIELD, CPU, "blockExit", "Z");
        return stay;
    }

    /** Writes the method body (after {@code visitCode}, before {@code visitMaxs}). */
    void emit() {
        Insn[] insns = block.insns;
        int n = insns.length;
        m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
        m.visitFieldInsn(Opcodes.GETFIELD, CPU, "eip", "I");
        m.visitVarInsn(Opcodes.ISTORE, ENTRY_EIP);
        m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
        m.visitFieldInsn(Opcodes.GETFIELD, CPU, "r", "[I");
        m.visitVarInsn(Opcodes.ASTORE, REGS);
        Label top = new Label();
        // a block that goes round keeps the registers in locals from pass to pass (if it runs itself to the end)
        boolean pinned = block.branchesBackToItself && InstructionEmitter.handles(insns[n - 1]);
        int[] pinnedSlots = pinned ? regs.pinAll() : null;
        m.visitLabel(top);
        int target = -1;
        for (int k = 0; k < n; k++) {
            Insn i = insns[k];
            boolean last = k == n - 1;
            if (InstructionEmitter.handles(i)) {
                target = emitNative(i, k);
            } else {
                emitHandlerCall(i, k);
                target = -1;
            }
            if (last && !InstructionEmitter.handles(i)) {
                // the handler has set EIP: the interpreter's way of going round again applies
                if (block.branchesBackToItself) {
                    goRoundAgainAfterHandler(top, n);
                }
                m.visitLdcInsn(n);
                m.visitInsn(Opcodes.IRETURN);
            }
        }
        if (InstructionEmitter.handles(insns[n - 1])) {
            int next = target;
            if (next < 0) {
                next = slots.next();
                pushEip(n);
                m.visitVarInsn(Opcodes.ISTORE, next);
            }
            if (pinned) {
                goRoundAgain(top, n, next, pinnedSlots);
            }
            regs.writeBack();
            flags.writeBack();
            leave(n, next);
        }
        for (FaultPath f : faultPaths) {
            f.emit();
        }
    }

    /** Pushes the EIP of the instruction at index {@code k} (k = n: the one after the block). */
    private void pushEip(int k) {
        m.visitVarInsn(Opcodes.ILOAD, ENTRY_EIP);
        if (offsets[k] != 0) {
            m.visitLdcInsn(offsets[k]);
            m.visitInsn(Opcodes.IADD);
        }
        if (!block.code32) {
            m.visitLdcInsn(0xFFFF);
            m.visitInsn(Opcodes.IAND);
        }
    }

    private int emitNative(Insn i, int k) {
        Label start = new Label(), end = new Label(), handler = new Label();
        boolean canFault = InstructionEmitter.canFault(i);
        if (canFault) {
            m.visitTryCatchBlock(start, end, handler, FAULT);
            faultPaths.add(new FaultPath(handler, k, regs.snapshot(), flags.snapshot(), true));
        }
        m.visitLabel(start);
        int target = native_.emit(i, () -> pushEip(k + 1));
        m.visitLabel(end);
        if (InstructionEmitter.touchesMemory(i)) {
            // a write beside code (or to it) may have asked to leave the block after this instruction
            Label stay = unlessAskedToLeave();
            RegisterLocals.Snapshot r = regs.snapshot();
            FlagLocals.State f = flags.snapshot();
            regs.writeBack(r);
            flags.writeBack(f);
            m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
            if (target >= 0) {
                m.visitVarInsn(Opcodes.ILOAD, target);
            } else {
                pushEip(k + 1);
            }
            m.visitFieldInsn(Opcodes.PUTFIELD, CPU, "eip", "I");
            m.visitLdcInsn(k + 1);
            m.visitInsn(Opcodes.IRETURN);
            m.visitLabel(stay);
        }
        return target;
    }

    /** An instruction the translation hands to its handler, as the interpreter runs it. */
    private void emitHandlerCall(Insn i, int k) {
        regs.writeBack();
        flags.writeBack();
        regs.forget();
        m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
        pushEip(k);
        m.visitFieldInsn(Opcodes.PUTFIELD, CPU, "curEip", "I");
        m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
        pushEip(k + 1);
        m.visitFieldInsn(Opcodes.PUTFIELD, CPU, "eip", "I");
        Label start = new Label(), end = new Label(), handler = new Label();
        m.visitTryCatchBlock(start, end, handler, FAULT);
        faultPaths.add(new FaultPath(handler, k, regs.snapshot(), flags.snapshot(), false));
        m.visitLabel(start);
        m.visitLdcInsn(constant.apply(i.exec(), EXEC));
        m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
        m.visitLdcInsn(constant.apply(i, INSN));
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, EXEC, "run", "(L" + CPU + ";L" + INSN + ";)V", false);
        m.visitLabel(end);
        Label next = unlessAskedToLeave();
        m.visitLdcInsn(k + 1);
        m.visitInsn(Opcodes.IRETURN);
        m.visitLabel(next);
    }

    /** Sets EIP from local {@code next} and returns the {@code n} instructions run (locals written back before). */
    private void leave(int n, int next) {
        m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
        m.visitVarInsn(Opcodes.ILOAD, next);
        m.visitFieldInsn(Opcodes.PUTFIELD, CPU, "eip", "I");
        m.visitLdcInsn(n);
        m.visitInsn(Opcodes.IRETURN);
    }

    /**
     * After a last instruction of its own: when it went back to the block's start, the whole block fits once more
     * in what is left of {@code max} and the run loop would go straight into the next block
     * ({@link Cpu#continuesIntoBlock}), the pass is counted as the run loop counts one and the block starts over
     * with the registers in {@code pinned} and the lazy flags written to the CPU.
     */
    private void goRoundAgain(Label top, int n, int next, int[] pinned) {
        Label leave = new Label();
        m.visitVarInsn(Opcodes.ILOAD, next);
        leaveUnlessRoundAgain(n, leave);
        flags.writeBack(flags.snapshot());
        regs.moveInto(pinned);
        startOver(top, n, leave);
    }

    /** The interpreter's check after a handler ran the last instruction (it has set EIP itself). */
    private void goRoundAgainAfterHandler(Label top, int n) {
        Label leave = new Label();
        m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
        m.visitFieldInsn(Opcodes.GETFIELD, CPU, "eip", "I");
        leaveUnlessRoundAgain(n, leave);
        startOver(top, n, leave);
    }

    /** With the next EIP on the stack: jumps to {@code leave} unless the block may go round once more. */
    private void leaveUnlessRoundAgain(int n, Label leave) {
        m.visitVarInsn(Opcodes.ILOAD, ENTRY_EIP);
        m.visitJumpInsn(Opcodes.IF_ICMPNE, leave);
        m.visitVarInsn(Opcodes.ILOAD, MAX);
        m.visitLdcInsn(2 * n);
        m.visitJumpInsn(Opcodes.IF_ICMPLT, leave);
        m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, CPU, "continuesIntoBlock", "()Z", false);
        m.visitJumpInsn(Opcodes.IFEQ, leave);
    }

    /** Counts the pass as the run loop would, and starts the block over. */
    private void startOver(Label top, int n, Label leave) {
        m.visitIincInsn(MAX, -n);
        addToCounter("instructions", n);
        addToCounter("translatedInstructions", n);
        m.visitJumpInsn(Opcodes.GOTO, top);
        m.visitLabel(leave);
    }

    /** {@code cpu.counter += n} for one of the CPU's {@code long} instruction counters. */
    private void addToCounter(String counter, int n) {
        m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
        m.visitInsn(Opcodes.DUP);
        m.visitFieldInsn(Opcodes.GETFIELD, CPU, counter, "J");
        m.visitLdcInsn((long) n);
        m.visitInsn(Opcodes.LADD);
        m.visitFieldInsn(Opcodes.PUTFIELD, CPU, counter, "J");
    }

    /**
     * Where a fault inside instruction {@code k} lands: the registers and flags as they were when it began go back
     * to the CPU, the {@code k} instructions before it are counted (as in the interpreter) and the fault goes on
     * to the run loop, which delivers it at the faulting EIP.
     */
    private final class FaultPath {
        final Label handler;
        final int k;
        final RegisterLocals.Snapshot regsAtStart;
        final FlagLocals.State flagsAtStart;
        final boolean setsFaultingEip;

        FaultPath(Label handler, int k, RegisterLocals.Snapshot regsAtStart, FlagLocals.State flagsAtStart,
                  boolean setsFaultingEip) {
            this.handler = handler;
            this.k = k;
            this.regsAtStart = regsAtStart;
            this.flagsAtStart = flagsAtStart;
            this.setsFaultingEip = setsFaultingEip;
        }

        void emit() {
            m.visitLabel(handler);
            regs.writeBack(regsAtStart);
            flags.writeBack(flagsAtStart);
            if (setsFaultingEip) {
                m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
                pushEip(k);
                m.visitFieldInsn(Opcodes.PUTFIELD, CPU, "curEip", "I");
            }
            if (k > 0) {
                m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
                m.visitInsn(Opcodes.DUP);
                m.visitFieldInsn(Opcodes.GETFIELD, CPU, "instructions", "J");
                m.visitLdcInsn((long) k);
                m.visitInsn(Opcodes.LADD);
                m.visitFieldInsn(Opcodes.PUTFIELD, CPU, "instructions", "J");
            }
            m.visitInsn(Opcodes.ATHROW);
        }
    }
}
