package dev.strata.emulator.cpu.translate;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.decode.Block;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.exception.CpuFault;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private static final String OPS = Type.getInternalName(TranslatedOps.class);
    private static final String SEGMENT = Type.getInternalName(dev.strata.emulator.cpu.Segment.class);
    /** The method's fixed locals; the two most used (the CPU, its register array) have one-byte loads. */
    private static final int CPU_LOCAL = 1, MAX = 2, REGS = 3, ENTRY_EIP = 4, FIRST_FREE = 5;

    private final MethodVisitor m;
    private final Block block;
    /** The data segments that were flat when the block got hot ({@link Cpu#flatSegments}). */
    private final int flatSegments;
    /** Where the translation keeps the objects its code names (the handlers and instructions it calls). */
    private final TranslationConstants constants;
    private final LocalSlots slots = new LocalSlots(FIRST_FREE);
    private final RegisterLocals regs;
    private final FlagLocals flags;
    private final MemoryEmitter memory;
    private final InstructionEmitter native_;
    /** Per instruction, whether the flags it leaves go unread ({@link FlagLiveness}); set by {@link #emit}. */
    private boolean[] flagsUnread;
    /** The leave and fault paths, written after the block's code: they run rarely, if ever. */
    private final List<Runnable> outOfLine = new ArrayList<>();
    /** The exits by the index of the instruction they leave before ({@link #exitAt}). */
    private final Map<Integer, ExitPath> exits = new HashMap<>();
    /** The write-backs the exits share, by the state they leave from ({@link #groupFor}). */
    private final List<ExitGroup> exitGroups = new ArrayList<>();
    /** The exits' one call of {@link TranslatedOps#exit}, once an exit needs it ({@link #exitTail}). */
    private Label exitTail;
    /** Each instruction's EIP less the block's first, and past the last ({@link Block#offset}). */
    private final int[] offsets;
    /** Where each instruction's bytes end, as such an offset: its next EIP, but after a jump the block goes on at. */
    private final int[] ends;

    BlockEmitter(MethodVisitor m, Block block, int flatSegments, TranslationConstants constants) {
        this.m = m;
        this.block = block;
        this.flatSegments = flatSegments;
        this.constants = constants;
        this.regs = new RegisterLocals(m, slots, REGS);
        this.flags = new FlagLocals(m, CPU_LOCAL);
        this.memory = new MemoryEmitter(m, CPU_LOCAL);
        this.native_ = new InstructionEmitter(m, CPU_LOCAL, regs, flags, slots, memory);
        Insn[] insns = block.insns;
        offsets = new int[insns.length + 1];
        ends = new int[insns.length];
        for (int k = 0; k <= insns.length; k++) {
            offsets[k] = block.offset(k);
        }
        for (int k = 0; k < insns.length; k++) {
            ends[k] = offsets[k] + insns[k].len();
        }
    }

    /**
     * Jumps to {@code leave} (written after the method's last return, away from the straight-line code) when the
     * instruction just run asked to leave the block ({@code blockExit}).
     */
    private void leaveIfAsked(Label leave) {
        m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
        m.visitFieldInsn(Opcodes.GETFIELD, CPU, "blockExit", "Z");
        m.visitJumpInsn(Opcodes.IFNE, leave);
    }

    /** Writes the method body (after {@code visitCode}, before {@code visitMaxs}). */
    void emit() {
        Insn[] insns = block.insns;
        int n = insns.length;
        flagsUnread = FlagLiveness.unread(insns);
        m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
        m.visitFieldInsn(Opcodes.GETFIELD, CPU, "eip", "I");
        m.visitVarInsn(Opcodes.ISTORE, ENTRY_EIP);
        m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
        m.visitFieldInsn(Opcodes.GETFIELD, CPU, "r", "[I");
        m.visitVarInsn(Opcodes.ASTORE, REGS);
        assumeUnlimitedCode(insns);
        Label top = new Label();
        // a block that goes round keeps the registers in locals from pass to pass (if it runs itself to the end)
        boolean pinned = block.branchesBackToItself && InstructionEmitter.handles(insns[n - 1]);
        boolean allNative = java.util.Arrays.stream(insns).allMatch(InstructionEmitter::handles);
        int[] pinnedSlots = pinned ? regs.pinAll(allNative) : null;
        if (pinned && allNative) {
            memory.hoist(insns, slots); // nothing in the loop changes segments or the privilege level
        } else if (allNative || !block.branchesBackToItself) {
            // (a loop with handlers in it could load a segment in one pass and find it flat again in the next)
            assumeFlatSegments(insns);
        }
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
                Bytecode.pushInt(m, n);
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
        for (Runnable path : outOfLine) {
            path.run();
        }
    }

    /**
     * Where CS's limit was 4 GiB when the block got hot ({@link Cpu#UNLIMITED_CODE}) and the block has near jumps of its
     * own, checks it still is and has their targets go unchecked; if it is not, the translation returns -1 before it
     * has run anything, and {@link Block#run} interprets the block. Only a far transfer or a mode change loads CS, and
     * each ends a block, so what holds when the block starts holds for all of its passes. In a Linux boot the kernel's
     * code segment is flat, and the check was a few per cent of its decompressor's time.
     */
    private void assumeUnlimitedCode(Insn[] insns) {
        if ((flatSegments & Cpu.UNLIMITED_CODE) == 0
                || java.util.Arrays.stream(insns).noneMatch(i -> InstructionEmitter.handles(i)
                        && InstructionEmitter.transfers(i))) {
            return;
        }
        Label limited = new Label();
        m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
        m.visitFieldInsn(Opcodes.GETFIELD, CPU, "cs", "L" + SEGMENT + ";");
        m.visitFieldInsn(Opcodes.GETFIELD, SEGMENT, "limit", "I");
        m.visitInsn(Opcodes.ICONST_M1);
        m.visitJumpInsn(Opcodes.IF_ICMPNE, limited);
        outOfLine.add(() -> {
            m.visitLabel(limited);
            m.visitInsn(Opcodes.ICONST_M1);
            m.visitInsn(Opcodes.IRETURN);
        });
        native_.codeUnlimited(true);
    }

    /**
     * Where the block's accesses before its first handler call go through segments that were flat when it got hot,
     * checks they still are ({@link MemoryEmitter#assumeFlat}) and has those accesses skip the limit checks; if one
     * is not, the translation returns -1 before it has run anything, and {@link Block#run} interprets the block.
     * Operating systems keep their data and stack segments flat, so in a Linux boot this is nearly every block
     * that touches memory.
     */
    private void assumeFlatSegments(Insn[] insns) {
        int used = 0;
        for (int k = 0; k < insns.length && InstructionEmitter.handles(insns[k]); k++) {
            used |= MemoryEmitter.segmentsOf(insns[k]);
        }
        if ((used & flatSegments) == 0) {
            return;
        }
        Label notFlat = new Label();
        memory.assumeFlat(used & flatSegments, slots, notFlat);
        outOfLine.add(() -> {
            m.visitLabel(notFlat);
            m.visitInsn(Opcodes.ICONST_M1);
            m.visitInsn(Opcodes.IRETURN);
        });
    }

    /**
     * True when instruction {@code k} of a 32-bit block, taken as a near relative branch with a 32-bit operand size,
     * goes to instruction {@code j <= k} of the block: one the block has run in this pass. The Linux boot's CPU thread
     * took 8 % less time without these checks (three alternating runs; in its kernel's hottest loops the check was
     * most of a pass), the paged JMH loop ran faster; in 16-bit code the DOS loop of the JMH benchmark ran about 8 %
     * slower without it (four runs each), so there it stays.
     */
    private boolean landsOnRunInstruction(int k, Insn i) {
        if (!block.code32 || i.size() != 2) {
            return false;
        }
        int target = ends[k] + i.imm();
        for (int j = 0; j <= k; j++) {
            if (target == offsets[j]) {
                return true;
            }
        }
        return false;
    }

    /** Pushes the EIP of the instruction at index {@code k} (k = n: the one after the block). */
    private void pushEip(int k) {
        pushEipAt(offsets[k]);
    }

    /** Pushes the block's first EIP plus {@code offset}, cut to 16 bits in 16-bit code. */
    private void pushEipAt(int offset) {
        m.visitVarInsn(Opcodes.ILOAD, ENTRY_EIP);
        if (offset != 0) {
            Bytecode.pushInt(m, offset);
            m.visitInsn(Opcodes.IADD);
        }
        if (!block.code32) {
            Bytecode.pushInt(m, 0xFFFF);
            m.visitInsn(Opcodes.IAND);
        }
    }

    /** Pushes the EIP after instruction {@code k} (its bytes' end) plus {@code plus}: its next EIP, a target. */
    private void pushEndPlus(int k, int plus) {
        if (block.code32) {
            m.visitVarInsn(Opcodes.ILOAD, ENTRY_EIP);
            if (ends[k] + plus != 0) {
                Bytecode.pushInt(m, ends[k] + plus);
                m.visitInsn(Opcodes.IADD);
            }
            return;
        }
        pushEipAt(ends[k]);
        if (plus != 0) {
            Bytecode.pushInt(m, plus);
            m.visitInsn(Opcodes.IADD);
        }
    }

    private int emitNative(Insn i, int k) {
        Label start = new Label(), end = new Label();
        if (native_.mayFault(i)) {
            registersToCpuUnlessGoingRound();
            m.visitTryCatchBlock(start, end, exitAt(k, regs.snapshot(), flags.snapshot()).handler, FAULT);
        }
        m.visitLabel(start);
        native_.flagsUnread(flagsUnread[k]);
        native_.targetRanBefore(landsOnRunInstruction(k, i));
        int target = native_.emit(i, plus -> pushEndPlus(k, plus));
        m.visitLabel(end);
        Label leaveToTarget = null;
        if (InstructionEmitter.touchesMemory(i)) {
            registersToCpuUnlessGoingRound();
            // a write beside code (or to it) may have asked to leave the block after this instruction
            Label leave = new Label();
            leaveIfAsked(leave);
            if (target < 0) {
                // the next instruction's fault path leaves from the same state at the same EIP: one exit for both
                Label exit = exitAt(k + 1, regs.snapshot(), flags.snapshot()).body;
                outOfLine.add(() -> {
                    m.visitLabel(leave);
                    m.visitInsn(Opcodes.ACONST_NULL);
                    m.visitJumpInsn(Opcodes.GOTO, exit);
                });
                return target;
            }
            leaveToTarget = leave; // a transfer (CALL, RET) that wrote: EIP is its target
        }
        int op = i.opcode();
        if ((op == 0xC3 || op == 0xC2) && k < block.insns.length - 1) {
            // a RET the block goes on after, at its CALL's return address: elsewhere, it leaves at its target, as
            // ReturnCheck does for the interpreter
            leaveToTarget = leaveToTarget != null ? leaveToTarget : new Label();
            m.visitVarInsn(Opcodes.ILOAD, target);
            pushEip(k + 1);
            m.visitJumpInsn(Opcodes.IF_ICMPNE, leaveToTarget);
        }
        if (leaveToTarget != null) {
            Label at = leaveToTarget;
            RegisterLocals.Snapshot r = regs.snapshot();
            FlagLocals.State f = flags.snapshot();
            outOfLine.add(() -> {
                m.visitLabel(at);
                regs.writeBack(r);
                flags.writeBack(f);
                m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
                m.visitVarInsn(Opcodes.ILOAD, target);
                Bytecode.pushInt(m, k + 1);
                m.visitMethodInsn(Opcodes.INVOKESTATIC, OPS, "leave", "(L" + CPU + ";II)I", false);
                m.visitInsn(Opcodes.IRETURN);
            });
        }
        return target;
    }

    /**
     * Writes the registers changed since the last write-back to the CPU, where an instruction that may fault or leave
     * the block is about to run or has run: its exits then find the registers there already and write back only the
     * lazy flags, as QEMU's code generator stores its guest registers before an operation that may raise an
     * exception. Registers changed between two such instructions are written once. Exits that each wrote back every
     * register changed before them were a large part of a translation's bytecode (a kernel function's prologue of
     * stores has one way out per store), and bytecode is what the JVM's compilers spend their time on: the Linux
     * boot's translations came to 20 % less bytecode and its JIT compilers' time to 4-11 % less, the CPU thread's
     * time unchanged (alternating runs). The price is a store of a register at each such instruction that follows a
     * change of it: the JMH loop of calls, whose function changes EBP, ESP and EAX between accesses, runs 9 % slower.
     *
     * <p>Not in a block that branches back to its own start ({@link Block#branchesBackToItself}): a loop is the
     * hottest code there is, and one that runs itself keeps its registers in locals from pass to pass, written back
     * only when it leaves ({@link RegisterLocals#pinAll}).
     */
    private void registersToCpuUnlessGoingRound() {
        if (!block.branchesBackToItself) {
            regs.writeBack();
        }
    }

    /** An instruction the translation hands to its handler, as the interpreter runs it. */
    private void emitHandlerCall(Insn i, int k) {
        memory.stopAssumingFlat();
        regs.writeBack();
        flags.writeBack();
        regs.forget();
        m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
        pushEip(k);
        m.visitFieldInsn(Opcodes.PUTFIELD, CPU, "curEip", "I");
        m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
        pushEipAt(ends[k]); // as the interpreter does: a jump the block goes on after sets its target itself
        m.visitFieldInsn(Opcodes.PUTFIELD, CPU, "eip", "I");
        Label start = new Label(), end = new Label(), handler = new Label();
        m.visitTryCatchBlock(start, end, handler, FAULT);
        outOfLine.add(() -> {
            // the registers and flags are in the CPU, the handler has set the faulting EIP: count what ran before
            m.visitLabel(handler);
            if (k > 0) {
                m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
                Bytecode.pushInt(m, k);
                m.visitMethodInsn(Opcodes.INVOKESTATIC, OPS, "counted",
                        "(L" + FAULT + ";L" + CPU + ";I)L" + FAULT + ";", false);
            }
            m.visitInsn(Opcodes.ATHROW);
        });
        m.visitLabel(start);
        constants.load(m, block.exec(k), EXEC); // the block's: a RET it goes on after checks its target
        m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
        constants.load(m, i, INSN);
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, EXEC, "run", "(L" + CPU + ";L" + INSN + ";)V", false);
        m.visitLabel(end);
        Label leave = new Label();
        leaveIfAsked(leave);
        outOfLine.add(() -> {
            // the handler has set EIP and the registers are in the CPU
            m.visitLabel(leave);
            m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
            m.visitInsn(Opcodes.ICONST_0);
            m.visitFieldInsn(Opcodes.PUTFIELD, CPU, "blockExit", "Z");
            Bytecode.pushInt(m, k + 1);
            m.visitInsn(Opcodes.IRETURN);
        });
    }

    /** Sets EIP from local {@code next} and returns the {@code n} instructions run (locals written back before). */
    private void leave(int n, int next) {
        m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
        m.visitVarInsn(Opcodes.ILOAD, next);
        m.visitFieldInsn(Opcodes.PUTFIELD, CPU, "eip", "I");
        Bytecode.pushInt(m, n);
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
        Bytecode.pushInt(m, 2 * n);
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
        Bytecode.pushLong(m, n);
        m.visitInsn(Opcodes.LADD);
        m.visitFieldInsn(Opcodes.PUTFIELD, CPU, counter, "J");
    }

    /**
     * The exit before instruction {@code k} from the state {@code r}, {@code f}: where a fault inside instruction
     * {@code k} lands (with the fault on the operand stack) and where the instruction before it leaves when it asked
     * to (with null there). Both write back the registers and flags of that moment and go through
     * {@link TranslatedOps#exit}; one exit serves every path that leaves there from the same state, and exits from the
     * same state share its write-back ({@link ExitGroup}) and one call ({@link #exitTail}).
     */
    private ExitPath exitAt(int k, RegisterLocals.Snapshot r, FlagLocals.State f) {
        ExitPath same = exits.get(k);
        if (same != null && same.group.regs.sameAs(r) && FlagLocals.sameWriteBack(same.group.flags, f)) {
            return same;
        }
        ExitPath exit = new ExitPath(k, groupFor(r, f));
        exits.putIfAbsent(k, exit);
        outOfLine.add(exit::emit);
        return exit;
    }

    /** The write-back of state {@code r}, {@code f} that exits share, written once. */
    private ExitGroup groupFor(RegisterLocals.Snapshot r, FlagLocals.State f) {
        for (ExitGroup g : exitGroups) {
            if (g.regs.sameAs(r) && FlagLocals.sameWriteBack(g.flags, f)) {
                return g;
            }
        }
        ExitGroup g = new ExitGroup(r, f);
        exitGroups.add(g);
        outOfLine.add(g::emit);
        return g;
    }

    /**
     * Where every exit ends, written once: with the fault (or null), the exit's EIP less the block's first and the
     * instructions done on the operand stack, returns what {@link TranslatedOps#exit} returns (or throws the fault).
     * Each exit then pushes two constants and jumps here instead of holding a call of its own.
     */
    private Label exitTail() {
        if (exitTail == null) {
            Label tail = new Label();
            exitTail = tail;
            int done = slots.next(), offset = slots.next(), fault = slots.next();
            outOfLine.add(() -> {
                m.visitLabel(tail);
                m.visitVarInsn(Opcodes.ISTORE, done);
                m.visitVarInsn(Opcodes.ISTORE, offset);
                m.visitVarInsn(Opcodes.ASTORE, fault);
                m.visitVarInsn(Opcodes.ALOAD, fault);
                m.visitVarInsn(Opcodes.ALOAD, CPU_LOCAL);
                m.visitVarInsn(Opcodes.ILOAD, ENTRY_EIP);
                m.visitVarInsn(Opcodes.ILOAD, offset);
                m.visitInsn(Opcodes.IADD);
                if (!block.code32) {
                    Bytecode.pushInt(m, 0xFFFF);
                    m.visitInsn(Opcodes.IAND);
                }
                m.visitVarInsn(Opcodes.ILOAD, done);
                m.visitMethodInsn(Opcodes.INVOKESTATIC, OPS, "exit", "(L" + FAULT + ";L" + CPU + ";II)I", false);
                m.visitInsn(Opcodes.IRETURN);
            });
        }
        return exitTail;
    }

    /**
     * An exit of {@link #exitAt}: faults enter at {@code handler}, leaves at {@code body}. HotSpot's C1 will not
     * compile a method whose exception handler normal code also reaches, so the two are apart (a nop between).
     */
    private final class ExitPath {
        final Label handler = new Label();
        final Label body = new Label();
        final int k;
        final ExitGroup group;

        ExitPath(int k, ExitGroup group) {
            this.k = k;
            this.group = group;
        }

        void emit() {
            m.visitLabel(handler);
            m.visitInsn(Opcodes.NOP);
            m.visitLabel(body);
            Bytecode.pushInt(m, offsets[k]);
            Bytecode.pushInt(m, k);
            m.visitJumpInsn(Opcodes.GOTO, group.writesNothing() ? group.tail : group.start);
        }
    }

    /** The registers and flags that exits leaving from one state write back, then on to {@link #exitTail}. */
    private final class ExitGroup {
        final Label start = new Label();
        final RegisterLocals.Snapshot regs;
        final FlagLocals.State flags;
        private final Label tail = exitTail();

        ExitGroup(RegisterLocals.Snapshot regs, FlagLocals.State flags) {
            this.regs = regs;
            this.flags = flags;
        }

        /** True when the registers and flags are in the CPU already (known once the whole block is written). */
        boolean writesNothing() {
            return BlockEmitter.this.regs.inCpu(regs) && FlagLocals.inCpu(flags);
        }

        void emit() {
            if (writesNothing()) {
                return; // its exits go straight to the tail
            }
            m.visitLabel(start);
            BlockEmitter.this.regs.writeBack(regs);
            BlockEmitter.this.flags.writeBack(flags);
            m.visitJumpInsn(Opcodes.GOTO, tail);
        }
    }
}
