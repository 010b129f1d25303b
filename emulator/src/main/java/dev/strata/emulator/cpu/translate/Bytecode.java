package dev.strata.emulator.cpu.translate;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Pushes constants in their shortest instruction ({@code iconst}, {@code bipush}, then {@code ldc}):
 * translations are many and small, and every byte of their code is parsed by both of the JVM's compilers.
 */
final class Bytecode {

    private Bytecode() {
    }

    /** Pushes the int {@code v}. */
    static void pushInt(MethodVisitor m, int v) {
        if (v >= -1 && v <= 5) {
            m.visitInsn(Opcodes.ICONST_0 + v);
        } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            m.visitIntInsn(Opcodes.BIPUSH, v);
        } else {
            // ldc (two bytes while the class's constant pool is small, as a translation's is) before sipush (three)
            m.visitLdcInsn(v);
        }
    }

    /** Pushes the long {@code v}. */
    static void pushLong(MethodVisitor m, long v) {
        if (v == 0 || v == 1) {
            m.visitInsn(Opcodes.LCONST_0 + (int) v);
        } else if (v >= -1 && v <= 5) {
            m.visitInsn(Opcodes.ICONST_0 + (int) v);
            m.visitInsn(Opcodes.I2L);
        } else {
            m.visitLdcInsn(v);
        }
    }
}
