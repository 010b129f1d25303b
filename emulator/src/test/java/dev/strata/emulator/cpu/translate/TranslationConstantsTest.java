package dev.strata.emulator.cpu.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.decode.Block;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A translation's constants (the handlers and instructions it calls) are set when its class is initialised, not
 * when {@code run} first reaches them: HotSpot's compilers give up on a method holding a constant not yet resolved,
 * and such a translation stayed in the JVM's bytecode interpreter for good.
 */
class TranslationConstantsTest {

    private static final int CODE = 0x10000;
    private static final Exec NOTHING = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
        }
    };

    @Test
    void everyConstantRunReadsIsSetByTheStaticInitialiser() {
        Insn nop = new Insn(NOTHING, 1, 1, 0, 0, 0, false, 0, 3, 8, 8, 0, 0, 0xFFFF, false, false, 0, 0, 0, false,
                0x90); // NOP goes to its handler: a handler and an instruction as constants, twice
        Block block = new Block(new Insn[] {nop, nop}, CODE, false, CODE >>> 12, CODE >>> 12, false);
        byte[] classFile = BlockTranslator.classFile(block, 0).bytes();

        List<String> read = staticFieldAccesses(classFile, "run", Opcodes.GETSTATIC);
        assertEquals(4, read.size(), "two handlers and two instructions: " + read);
        assertEquals(read.stream().sorted().toList(),
                staticFieldAccesses(classFile, "<clinit>", Opcodes.PUTSTATIC).stream().sorted().toList());
    }

    /** The fields of the class itself that method {@code method} accesses with {@code opcode}, in order. */
    private static List<String> staticFieldAccesses(byte[] classFile, String method, int opcode) {
        Map<String, List<String>> accesses = new HashMap<>();
        ClassReader reader = new ClassReader(classFile);
        String self = reader.getClassName();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                List<String> found = accesses.computeIfAbsent(name, n -> new ArrayList<>());
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitFieldInsn(int op, String owner, String field, String type) {
                        if (op == opcode && owner.equals(self)) {
                            found.add(field);
                        }
                    }
                };
            }
        }, 0);
        return accesses.getOrDefault(method, List.of());
    }
}
