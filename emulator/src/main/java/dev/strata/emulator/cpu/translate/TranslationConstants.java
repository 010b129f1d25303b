package dev.strata.emulator.cpu.translate;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The objects a translation's code names (the handlers it calls and their instructions): the hidden class's class
 * data, each also in a static final field of the class, which its static initialiser reads from the class data. The
 * JIT compilers take a static final field of an initialised class as a constant, so a handler call on one is
 * inlined with the instruction's operands folded in. The fields are set when the class is initialised, before
 * {@code run} first runs: HotSpot's compilers give up on a method that reads a constant not yet resolved, and such a
 * translation stayed in the JVM's bytecode interpreter for good (as happened to four hot blocks of the Linux boot
 * while the constants were dynamic constants resolved on first use).
 */
final class TranslationConstants {

    private static final String MH = "java/lang/invoke/MethodHandles";
    private static final String LOOKUP = "Ljava/lang/invoke/MethodHandles$Lookup;";

    private final String owner;
    private final List<Object> data;
    private final List<String> types = new ArrayList<>();

    /** Constants of class {@code owner} (internal name), kept in {@code data}, the class data it is defined with. */
    TranslationConstants(String owner, List<Object> data) {
        this.owner = owner;
        this.data = data;
    }

    /** Writes a load of {@code value}, an instance of the class with internal name {@code type}, into {@code m}. */
    void load(MethodVisitor m, Object value, String type) {
        int index = data.size();
        data.add(value);
        types.add(type);
        m.visitFieldInsn(Opcodes.GETSTATIC, owner, field(index), "L" + type + ";");
    }

    /** Declares the fields of the constants loaded so far, and the static initialiser that sets them. */
    void declare(ClassVisitor cv) {
        MethodVisitor init = cv.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        init.visitCode();
        for (int k = 0; k < types.size(); k++) {
            String descriptor = "L" + types.get(k) + ";";
            cv.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, field(k), descriptor, null,
                    null).visitEnd();
            // the class's own lookup (it has the access to its class data that classDataAt asks for)
            init.visitMethodInsn(Opcodes.INVOKESTATIC, MH, "lookup", "()" + LOOKUP, false);
            init.visitLdcInsn("_");
            init.visitLdcInsn(Type.getObjectType(types.get(k)));
            Bytecode.pushInt(init, k);
            init.visitMethodInsn(Opcodes.INVOKESTATIC, MH, "classDataAt",
                    "(" + LOOKUP + "Ljava/lang/String;Ljava/lang/Class;I)Ljava/lang/Object;", false);
            init.visitTypeInsn(Opcodes.CHECKCAST, types.get(k));
            init.visitFieldInsn(Opcodes.PUTSTATIC, owner, field(k), descriptor);
        }
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
    }

    private static String field(int index) {
        return "c" + index;
    }
}
