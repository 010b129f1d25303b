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
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A translation's class-data constants (the handlers and instructions it calls) are resolved when its class is
 * initialised, not when {@code run} first reaches them: HotSpot's compilers give up on a method holding a constant
 * not yet resolved, and such a translation stayed in the JVM's bytecode interpreter for good.
 */
class TranslationConstantsTest {

    private static final int CODE = 0x10000;
    private static final Exec NOTHING = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
        }
    };

    @Test
    void everyConstantRunLoadsIsLoadedByTheStaticInitialiser() {
        Insn nop = new Insn(NOTHING, 1, 1, 0, 0, 0, false, 0, 3, 8, 8, 0, 0, 0xFFFF, false, false, 0, 0, 0, false,
                0x90); // NOP goes to its handler: a handler and an instruction as constants, twice
        Block block = new Block(new Insn[] {nop, nop}, CODE, false, CODE >>> 12, CODE >>> 12, false);
        Map<String, List<Object>> loads = constantsLoadedByMethod(BlockTranslator.classFile(block, 0).bytes());

        List<Object> run = loads.getOrDefault("run", List.of());
        assertEquals(4, run.size(), "two handlers and two instructions: " + run);
        List<Object> atInit = loads.getOrDefault("<clinit>", List.of());
        assertEquals(run.stream().sorted().toList(), atInit.stream().sorted().toList());
    }

    /** Per method, the class-data indices of the dynamic constants its LDC instructions load. */
    private static Map<String, List<Object>> constantsLoadedByMethod(byte[] classFile) {
        Map<String, List<Object>> loads = new HashMap<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                List<Object> found = loads.computeIfAbsent(name, n -> new ArrayList<>());
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitLdcInsn(Object value) {
                        if (value instanceof ConstantDynamic c) {
                            found.add(c.getBootstrapMethodArgument(0));
                        }
                    }
                };
            }
        }, 0);
        return loads;
    }
}
