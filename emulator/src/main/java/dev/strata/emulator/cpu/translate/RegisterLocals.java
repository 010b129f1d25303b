package dev.strata.emulator.cpu.translate;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * While a translation is written: which JVM local holds each guest general register, and which of those differ
 * from {@code Cpu.r}. A register is loaded on first use and written back only when the translation leaves (or
 * before an instruction it hands to the interpreter's handler), so a block's register traffic stays in the JIT
 * compiler's registers.
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

    /** Registers of a CPU whose {@code r} array is in local {@code array}; nothing loaded yet. */
    RegisterLocals(MethodVisitor m, LocalSlots slots, int array) {
        this.m = m;
        this.slots = slots;
        this.array = array;
        java.util.Arrays.fill(slot, -1);
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
     * Loads all eight registers into locals of their own and counts them as changed: the start of a block that
     * goes round, whose passes keep the registers in these locals ({@link #moveInto}) and write them back only
     * when it leaves. Returns the locals.
     */
    int[] pinAll() {
        int[] pinned = new int[8];
        for (int r = 0; r < 8; r++) {
            slot[r] = -1;
            pinned[r] = slotOf(r);
            dirty[r] = true;
        }
        return pinned;
    }

    /** Copies the registers' current locals into {@code pinned} (the next pass starts from them). */
    void moveInto(int[] pinned) {
        for (int r = 0; r < 8; r++) {
            m.visitVarInsn(Opcodes.ILOAD, slotOf(r));
            m.visitVarInsn(Opcodes.ISTORE, pinned[r]);
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
            if (s.dirty[r]) {
                m.visitVarInsn(Opcodes.ALOAD, array);
                Bytecode.pushInt(m, r);
                m.visitVarInsn(Opcodes.ILOAD, s.slot[r]);
                m.visitInsn(Opcodes.IASTORE);
            }
        }
    }

    /** Forgets every local: the interpreter's handler may have changed any register (written back before). */
    void forget() {
        java.util.Arrays.fill(slot, -1);
        java.util.Arrays.fill(dirty, false);
    }

    /** The register-to-local assignment at one point of the translation. */
    static final class Snapshot {
        final int[] slot;
        final boolean[] dirty;

        Snapshot(int[] slot, boolean[] dirty) {
            this.slot = slot;
            this.dirty = dirty;
        }

        /** True when both write back the same locals to the same registers. */
        boolean sameAs(Snapshot other) {
            for (int r = 0; r < 8; r++) {
                if (dirty[r] != other.dirty[r] || dirty[r] && slot[r] != other.slot[r]) {
                    return false;
                }
            }
            return true;
        }
    }
}
