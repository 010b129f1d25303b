package dev.strata.emulator.cpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The bytecode length of a compiled method, for tests that keep a slow path above HotSpot's inlining limits (the
 * JIT compiler's decisions depend on it, and nothing else would notice it shrink).
 */
public final class BytecodeLength {

    private BytecodeLength() {
    }

    /** The length of the bytecode of {@code type}'s method {@code name} (the first of that name), as ASM writes it. */
    public static int of(Class<?> type, String name) {
        int[] length = {-1};
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            ClassReader reader = new ClassReader(in.readAllBytes());
            reader.accept(new ClassVisitor(Opcodes.ASM9, new ClassWriter(0)) {
                @Override
                public MethodVisitor visitMethod(int access, String n, String d, String s, String[] e) {
                    MethodVisitor mv = super.visitMethod(access, n, d, s, e);
                    if (!n.equals(name) || length[0] >= 0) {
                        return mv;
                    }
                    return new MethodVisitor(Opcodes.ASM9, mv) {
                        @Override
                        public void visitMaxs(int maxStack, int maxLocals) {
                            Label end = new Label();
                            super.visitLabel(end); // after the last instruction: its offset is the code's length
                            length[0] = end.getOffset();
                            super.visitMaxs(maxStack, maxLocals);
                        }
                    };
                }
            }, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (length[0] < 0) {
            throw new IllegalArgumentException(type.getName() + " has no method " + name);
        }
        return length[0];
    }
}
