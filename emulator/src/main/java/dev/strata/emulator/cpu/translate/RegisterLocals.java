package dev.strata.emulator.cpu.translate;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * While a translation is written: which JVM local holds each guest general register, and which of those differ
 * from {@code Cpu.r}. A register is loaded on first use and written back when the translation leaves, before an
 * instruction it hands to the interpreter's handler, and (in a block that does not go round) around an instruction
 * that may fault or touches memory ({@code BlockEmitter}), so a block's register reads stay in the JIT compiler's
 * registers.
 *
 * <p>Every write goes to a fresh local: the locals of earlier instructions keep their values, so the fault path
 * of an instruction can write back the registers as they were when it started ({@link #snapshot}).
 */
final class RegisterLocals {

    private final MethodVisitor m;
    private final LocalSlots slots;
    private final int array;
    private int[] slot = new int[8];
    private boolean[] dirty = new boolean[8];
    /**
     * Registers kept in locals of their own from pass to pass ({@link #pinAll}): such a register differs from
     * {@code Cpu.r} only if the block stores it somewhere, so only then is it written back.
     */
    private final boolean[] pinned = new boolean[8];
    /** Registers the block's code has stored so far (all of them, once the block is written). */
    private final boolean[] stored = new boolean[8];
    /** A local holding the register's low 16 bits (cut to them), or -1: a 16-bit read of it needs no mask. */
    private final int[] low16 = new int[8];

    /** Registers of a CPU whose {@code r} array is in local {@code array}; nothing loaded yet. */
    RegisterLocals(MethodVisitor m, LocalSlots slots, int array) {
        this.m = m;
        this.slots = slots;
        this.array = array;
        java.util.Arrays.fill(slot, -1);
        java.util.Arrays.fill(low16, -1);
    }

    /** The local holding register {@code reg} (all 32 bits), loaded from the CPU here if not yet. */
    int slotOf(int reg) {
        if (slot[reg] < 0) {
            int s = slots.next();
            m.visitVarInsn(Opcodes.ALOAD, array);
            Bytecode.pushInt(m, reg);
            m.visitInsn(Opcodes.IALOAD);
            m.visitVarInsn(Opcodes.ISTORE, s);
            slot[reg] = s;
        }
        return slot[reg];
    }

    /** Pushes register {@code reg}'s 32 bits. */
    void load(int reg) {
        m.visitVarInsn(Opcodes.ILOAD, slotOf(reg));
    }

    /** Takes the int on the stack as the new 32-bit value of {@code reg}. */
    void store(int reg) {
        int s = slots.next();
        m.visitVarInsn(Opcodes.ISTORE, s);
        slot[reg] = s;
        dirty[reg] = true;
        stored[reg] = true;
        low16[reg] = -1;
    }

    /** Takes local {@code s}, which is never written again, as the new 32-bit value of {@code reg}. */
    void adopt(int reg, int s) {
        slot[reg] = s;
        dirty[reg] = true;
        stored[reg] = true;
        low16[reg] = -1;
    }

    /** Records that local {@code s} holds register {@code reg}'s low 16 bits, cut to them (until it is stored). */
    void knowLow16(int reg, int s) {
        low16[reg] = s;
    }

    /** A local holding the register's low 16 bits cut to them, or -1 when there is none. */
    int low16(int reg) {
        return low16[reg];
    }

    /** Makes sure every register the instruction reads is loaded before it branches (locals must be assigned). */
    void preload(int... regs) {
        for (int r : regs) {
            if (r >= 0 && r < 8) {
                slotOf(r);
            }
        }
    }

    /**
     * Loads all eight registers into locals of their own: the start of a block that goes round, whose passes keep
     * the registers in these locals ({@link #moveInto}) and write them back only when it leaves. With
     * {@code storesKnownAtWriteBack} (every write-back of the block is written after its last instruction, as when
     * no instruction goes to a handler) only the registers the block stores count as changed; otherwise all do.
     * Returns the locals.
     */
    int[] pinAll(boolean storesKnownAtWriteBack) {
        int[] locals = new int[8];
        for (int r = 0; r < 8; r++) {
            slot[r] = -1;
            locals[r] = slotOf(r);
            dirty[r] = !storesKnownAtWriteBack;
            pinned[r] = storesKnownAtWriteBack;
        }
        return locals;
    }

    /** Copies the registers' current locals into {@code pinned} (the next pass starts from them). */
    void moveInto(int[] pinned) {
        for (int r = 0; r < 8; r++) {
            if (slotOf(r) != pinned[r]) {
                m.visitVarInsn(Opcodes.ILOAD, slotOf(r));
                m.visitVarInsn(Opcodes.ISTORE, pinned[r]);
            }
        }
    }

    /** The current assignment, for a fault path to write back what was there when an instruction began. */
    Snapshot snapshot() {
        return new Snapshot(slot.clone(), dirty.clone());
    }

    /** Writes the changed registers back to {@code Cpu.r}; the locals stay valid and clean. */
    void writeBack() {
        writeBack(snapshot());
        java.util.Arrays.fill(dirty, false);
    }

    /** Writes back the registers that were changed at the time of {@code s}. */
    void writeBack(Snapshot s) {
        for (int r = 0; r < 8; r++) {
            if (writesBack(s, r)) {
                m.visitVarInsn(Opcodes.ALOAD, array);
                Bytecode.pushInt(m, r);
                m.visitVarInsn(Opcodes.ILOAD, s.slot[r]);
                m.visitInsn(Opcodes.IASTORE);
            }
        }
    }

    /** True when {@link #writeBack(Snapshot)} of {@code s} writes nothing (once the whole block is written). */
    boolean inCpu(Snapshot s) {
        for (int r = 0; r < 8; r++) {
            if (writesBack(s, r)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a write-back of {@code s} stores register {@code r}: changed then, or pinned and stored by the block. */
    private boolean writesBack(Snapshot s, int r) {
        return s.dirty[r] || pinned[r] && stored[r];
    }

    /** Forgets every local: the interpreter's handler may have changed any register (written back before). */
    void forget() {
        java.util.Arrays.fill(slot, -1);
        java.util.Arrays.fill(dirty, false);
        java.util.Arrays.fill(low16, -1);
    }

    /** The register-to-local assignment at one point of the translation. */
    static final class Snapshot {
        final int[] slot;
        final boolean[] dirty;

        Snapshot(int[] slot, boolean[] dirty) {
            this.slot = slot;
            this.dirty = dirty;
        }

        /** True when both write back the same locals to the same registers (pinned ones included). */
        boolean sameAs(Snapshot other) {
            return java.util.Arrays.equals(slot, other.slot) && java.util.Arrays.equals(dirty, other.dirty);
        }
    }
}
