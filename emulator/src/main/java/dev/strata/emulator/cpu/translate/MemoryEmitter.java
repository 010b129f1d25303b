package dev.strata.emulator.cpu.translate;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Segment;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.paging.RamTlb;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Writes a translation's guest loads and stores. A block whose segments were flat when it got hot (base 0, all
 * 4 GiB readable and writable, as an operating system's are) checks they still are when it starts and then goes
 * by offset as linear address, with the RAM TLB and the privilege level's tag in locals ({@link Cpu#readFlat32}
 * and the others). Other blocks call the CPU's accessors ({@link Cpu#read32} and the others), which the JIT
 * compiler inlines. A loop (a block that goes round without leaving, every instruction its
 * own bytecode) instead holds what does not change from pass to pass in locals, loaded once before its first pass:
 * each segment's base and limits, the RAM TLB, the tag its entries must have at the CPU's privilege level and the
 * stack pointer's size; an access is then the segment check on those locals and the TLB lookup
 * ({@link Cpu#checkedLinear}, {@link Cpu#readLinear32} and the others). The accessors reload all of it at
 * every access, since a miss calls the slow path, after which the compiler must assume any field changed; the loop
 * pays for the loads once.
 *
 * <p>Nothing in such a loop can change them: segment registers and the privilege level change only in
 * instructions a translation hands to their handlers, and the RAM TLB is the CPU's for its life (its RAM array,
 * which a miss may replace, is read at each access).
 */
final class MemoryEmitter {

    private static final String CPU = Type.getInternalName(Cpu.class);
    private static final String TLB = Type.getInternalName(RamTlb.class);
    private static final String SEGMENT = Type.getInternalName(Segment.class);
    /** {@link Cpu}'s fields for the segment registers, by index. */
    private static final String[] SEGMENT_NAMES = {"es", "cs", "ss", "ds", "fs", "gs"};
    private static final String[] READ = {"read8", "read16", "read32"};
    private static final String[] WRITE = {"write8", "write16", "write32"};
    private static final String[] READ_LINEAR = {"readLinear8", "readLinear16", "readLinear32"};
    private static final String[] WRITE_LINEAR = {"writeLinear8", "writeLinear16", "writeLinear32"};
    /** Flat segments' accessors: bytes cannot run past the 4 GiB end, so a byte goes by its linear address. */
    private static final String[] READ_FLAT = {"readLinear8", "readFlat16", "readFlat32"};
    private static final String[] WRITE_FLAT = {"writeLinear8", "writeFlat16", "writeFlat32"};

    private final MethodVisitor m;
    private final int cpu;
    /** Per segment, the first of its locals (base, lo, then readSpan and writeSpan as longs), or -1. */
    private final int[] segmentLocals = {-1, -1, -1, -1, -1, -1};
    private int tlb = -1, tag, spMask = -1;
    /** The segments {@link #assumeFlat} checked, while accesses through them may skip their limit checks. */
    private int flat;

    MemoryEmitter(MethodVisitor m, int cpu) {
        this.m = m;
        this.cpu = cpu;
    }

    /** The segment registers instruction {@code i}'s own bytecode accesses memory through (a bit per segment). */
    static int segmentsOf(Insn i) {
        int op = i.opcode();
        int used = i.mem() && op != 0x8D ? 1 << i.seg() : 0;
        if (op >= 0x50 && op <= 0x5F || op == 0x68 || op == 0x6A || op == 0xC9 || op == 0xE8 || op == 0xC2
                || op == 0xC3 || op == 0xFF && i.sub() == 6) {
            used |= 1 << Cpu.SS;
        }
        return used;
    }

    /**
     * Writes the check that the segments in {@code segments} are still {@link dev.strata.emulator.cpu.Segment#flat}
     * (as they were when the block got hot), jumping to {@code notFlat} if one is not, then loads the RAM TLB and
     * the privilege level's tag into new locals: until {@link #stopAssumingFlat}, accesses through those segments
     * go by their offset as the linear address ({@link Cpu#readFlat32} and the others), without a limit check or
     * a segment's fields loaded at each, and stack accesses through a flat SS are written inline
     * ({@link #stackHoisted}). Not for a loop's hoisted accesses, which have their own locals.
     */
    void assumeFlat(int segments, LocalSlots slots, Label notFlat) {
        for (int s = 0; s < 6; s++) {
            if ((segments & (1 << s)) != 0) {
                pushSegment(s);
                m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, SEGMENT, "flat", "()Z", false);
                m.visitJumpInsn(Opcodes.IFEQ, notFlat);
            }
        }
        loadTlbAndTag(slots);
        flat = segments;
    }

    /** From here on accesses check their segments again: a handler ran, which may have loaded one. */
    void stopAssumingFlat() {
        flat = 0;
    }

    private void loadTlbAndTag(LocalSlots slots) {
        tlb = slots.next();
        tag = slots.next();
        m.visitVarInsn(Opcodes.ALOAD, cpu);
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, CPU, "ramTlb", "()L" + TLB + ";", false);
        m.visitVarInsn(Opcodes.ASTORE, tlb);
        m.visitVarInsn(Opcodes.ALOAD, cpu);
        m.visitFieldInsn(Opcodes.GETFIELD, CPU, "cpl", "I");
        m.visitMethodInsn(Opcodes.INVOKESTATIC, TLB, "tagBits", "(I)I", false);
        m.visitVarInsn(Opcodes.ISTORE, tag);
    }

    /**
     * Loads, into new locals, what the accesses of {@code insns} need (written before a loop's first pass, all of
     * them instructions the translation runs itself): from here on {@link #read}, {@link #write} and
     * {@link #cutToStackPointer} use the locals.
     */
    void hoist(Insn[] insns, LocalSlots slots) {
        int used = 0;
        for (Insn i : insns) {
            used |= segmentsOf(i);
        }
        if (used == 0) {
            return;
        }
        loadTlbAndTag(slots);
        for (int s = 0; s < 6; s++) {
            if ((used & (1 << s)) != 0) {
                hoistSegment(s, slots);
            }
        }
        if ((used & (1 << Cpu.SS)) != 0) {
            spMask = slots.next();
            m.visitVarInsn(Opcodes.ALOAD, cpu);
            m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, CPU, "spMask", "()I", false);
            m.visitVarInsn(Opcodes.ISTORE, spMask);
        }
    }

    private void hoistSegment(int s, LocalSlots slots) {
        int base = slots.next();
        for (int k = 0; k < 5; k++) {
            slots.next(); // lo, then two longs
        }
        segmentLocals[s] = base;
        pushSegment(s);
        m.visitInsn(Opcodes.DUP);
        m.visitFieldInsn(Opcodes.GETFIELD, SEGMENT, "base", "I");
        m.visitVarInsn(Opcodes.ISTORE, base);
        m.visitInsn(Opcodes.DUP);
        m.visitFieldInsn(Opcodes.GETFIELD, SEGMENT, "lo", "I");
        m.visitVarInsn(Opcodes.ISTORE, base + 1);
        m.visitInsn(Opcodes.DUP);
        m.visitFieldInsn(Opcodes.GETFIELD, SEGMENT, "readSpan", "J");
        m.visitVarInsn(Opcodes.LSTORE, base + 2);
        m.visitFieldInsn(Opcodes.GETFIELD, SEGMENT, "writeSpan", "J");
        m.visitVarInsn(Opcodes.LSTORE, base + 4);
    }

    /** Pushes segment register {@code s} ({@link Cpu#es} and the others: one load, where the array takes three). */
    private void pushSegment(int s) {
        m.visitVarInsn(Opcodes.ALOAD, cpu);
        m.visitFieldInsn(Opcodes.GETFIELD, CPU, SEGMENT_NAMES[s], "L" + SEGMENT + ";");
    }

    /**
     * True when stack accesses are written inline: the stack pointer's size is in a local ({@link #hoist}), or SS
     * is taken as flat ({@link #assumeFlat}: a 32-bit stack).
     */
    boolean stackHoisted() {
        return spMask >= 0 || (flat & (1 << Cpu.SS)) != 0;
    }

    /**
     * Cuts the int on the operand stack to SS's stack-pointer size (SP or ESP), once {@link #stackHoisted}: nothing
     * to write for a flat SS, whose stack pointer is ESP (an AND with -1 is bytecode the JVM's compilers would only
     * parse and fold away).
     */
    void cutToStackPointer() {
        if (spMask >= 0) {
            m.visitVarInsn(Opcodes.ILOAD, spMask);
            m.visitInsn(Opcodes.IAND);
        }
    }

    /**
     * With a new stack pointer, already cut to SS's stack-pointer size, on the operand stack: leaves the new ESP,
     * which keeps the old one's upper half ({@code loadEsp} pushes it) on a 16-bit stack. For a flat SS the new stack
     * pointer is ESP as it is.
     */
    void mergeStackPointer(Runnable loadEsp) {
        if (spMask >= 0) {
            loadEsp.run();
            m.visitVarInsn(Opcodes.ILOAD, spMask);
            m.visitInsn(Opcodes.ICONST_M1);
            m.visitInsn(Opcodes.IXOR);
            m.visitInsn(Opcodes.IAND);
            m.visitInsn(Opcodes.IOR);
        }
    }

    /** Pushes the value of {@code size} (0 byte, 1 word, 2 dword) at seg:[local {@code ea}]. */
    void read(int size, int seg, int ea) {
        access(size, seg, ea, -1);
    }

    /** Writes local {@code value} of {@code size} to seg:[local {@code ea}]. */
    void write(int size, int seg, int ea, int value) {
        access(size, seg, ea, value);
    }

    /**
     * A read ({@code value} -1) or a write of local {@code value}: through the locals of a loop, by the offset in a
     * segment known flat, else through the CPU's accessors.
     */
    private void access(int size, int seg, int ea, int value) {
        boolean write = value >= 0;
        String result = write ? "I)V" : ")I";
        m.visitVarInsn(Opcodes.ALOAD, cpu);
        if ((flat & (1 << seg)) != 0) {
            m.visitVarInsn(Opcodes.ALOAD, tlb);
            m.visitVarInsn(Opcodes.ILOAD, tag);
            m.visitVarInsn(Opcodes.ILOAD, ea);
            String args = "(L" + TLB + ";II";
            if (size > 0) {
                Bytecode.pushInt(m, seg);
                args += "I";
            }
            if (write) {
                m.visitVarInsn(Opcodes.ILOAD, value);
            }
            m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, CPU, write ? WRITE_FLAT[size] : READ_FLAT[size], args + result,
                    false);
            return;
        }
        if (segmentLocals[seg] < 0) {
            Bytecode.pushInt(m, seg);
            m.visitVarInsn(Opcodes.ILOAD, ea);
            if (write) {
                m.visitVarInsn(Opcodes.ILOAD, value);
            }
            m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, CPU, write ? WRITE[size] : READ[size], "(II" + result, false);
            return;
        }
        m.visitVarInsn(Opcodes.ALOAD, tlb);
        m.visitVarInsn(Opcodes.ILOAD, tag);
        linear(seg, ea, 1 << size, write);
        if (write) {
            m.visitVarInsn(Opcodes.ILOAD, value);
        }
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, CPU, write ? WRITE_LINEAR[size] : READ_LINEAR[size],
                "(L" + TLB + ";II" + result, false);
    }

    /** Pushes the linear address of seg:[ea] after the segment's limit check (#GP, or #SS for SS). */
    private void linear(int seg, int ea, int bytes, boolean write) {
        int base = segmentLocals[seg];
        m.visitVarInsn(Opcodes.ILOAD, ea);
        m.visitVarInsn(Opcodes.ILOAD, base + 1);
        m.visitVarInsn(Opcodes.LLOAD, write ? base + 4 : base + 2);
        Bytecode.pushInt(m, bytes);
        m.visitVarInsn(Opcodes.ILOAD, base);
        Bytecode.pushInt(m, seg);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, CPU, "checkedLinear", "(IIJIII)I", false);
    }
}
