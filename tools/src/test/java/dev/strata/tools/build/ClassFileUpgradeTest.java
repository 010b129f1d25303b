package dev.strata.tools.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

class ClassFileUpgradeTest {

    /**
     * A Java 5 class whose method merges two different types at a branch target, so its version-52 form needs a stack
     * map frame the upgrade has to compute: {@code apply(n)} returns an Integer for even n, else a String.
     */
    private static byte[] java5Class(String name) {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        w.visit(Opcodes.V1_5, Opcodes.ACC_PUBLIC, name, null, "java/lang/Object",
                new String[] {"java/util/function/IntFunction"});
        MethodVisitor init = w.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor m = w.visitMethod(Opcodes.ACC_PUBLIC, "apply", "(I)Ljava/lang/Object;", null, null);
        m.visitCode();
        Label odd = new Label();
        Label join = new Label();
        m.visitVarInsn(Opcodes.ILOAD, 1);
        m.visitInsn(Opcodes.ICONST_1);
        m.visitInsn(Opcodes.IAND);
        m.visitJumpInsn(Opcodes.IFNE, odd);
        m.visitVarInsn(Opcodes.ILOAD, 1);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false);
        m.visitJumpInsn(Opcodes.GOTO, join);
        m.visitLabel(odd);
        m.visitLdcInsn("odd");
        m.visitLabel(join);
        m.visitInsn(Opcodes.ARETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        w.visitEnd();
        return w.toByteArray();
    }

    private static final class Loader extends ClassLoader {
        Loader() {
            super(ClassFileUpgradeTest.class.getClassLoader());
        }

        Class<?> define(String name, byte[] b) {
            return defineClass(name, b, 0, b.length);
        }
    }

    @Test
    void anOldClassIsRewrittenAtVersion52AndPassesTheSplitVerifier() throws Exception {
        byte[] upgraded = ClassFileUpgrade.upgrade(java5Class("Old"), getClass().getClassLoader());

        assertEquals(52, new ClassReader(upgraded).readUnsignedShort(6));
        // version 52 has no fallback to the old verifier: a missing or wrong frame fails here with a VerifyError
        @SuppressWarnings("unchecked")
        IntFunction<Object> f = (IntFunction<Object>) new Loader().define("Old", upgraded)
                .getDeclaredConstructor().newInstance();
        assertEquals(4, f.apply(4));
        assertEquals("odd", f.apply(3));
    }

    @Test
    void aClassThatIsAlreadyArchivableIsLeftAsItIs() {
        byte[] modern = java5Class("Modern");
        modern[7] = 61; // Java 17
        assertArrayEquals(modern, ClassFileUpgrade.upgrade(modern, getClass().getClassLoader()));
    }

    @Test
    void theCommandLineLibraryOnTheClassPathIsTheRewrittenOne() throws Exception {
        try (var in = getClass().getClassLoader().getResourceAsStream("picocli/CommandLine.class")) {
            assertEquals(52, new ClassReader(in.readAllBytes()).readUnsignedShort(6));
        }
    }

    @Test
    void theTranslatorsBytecodeLibraryOnTheClassPathIsTheRewrittenOne() throws Exception {
        for (String name : new String[] {"org/objectweb/asm/ClassWriter.class", "org/objectweb/asm/Type.class"}) {
            try (var in = getClass().getClassLoader().getResourceAsStream(name)) {
                assertEquals(52, new ClassReader(in.readAllBytes()).readUnsignedShort(6), name);
            }
        }
    }
}
