package dev.strata.emulator.cpu.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.CpuStats;
import dev.strata.emulator.cpu.decode.Block;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.machine.MachineStatistics;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** The bytecode the translating tier makes is counted, as the length of each translation's {@code run} code. */
class TranslationBytecodeTest {

    private static final int CODE = 0x10000;

    private static Block nops(int n) {
        Exec nothing = new Exec() {
            @Override
            public void run(Cpu c, Insn i) {
            }
        };
        Insn nop = new Insn(nothing, 1, 1, 0, 0, 0, false, 0, 3, 8, 8, 0, 0, 0xFFFF, false, false, 0, 0, 0, false, 0x90);
        Insn[] insns = new Insn[n];
        java.util.Arrays.fill(insns, nop);
        return new Block(insns, CODE, false, CODE >>> 12, CODE >>> 12, false);
    }

    @Test
    void theTranslatorCountsTheCodeLengthOfEachRunMethodItMakes() throws IOException {
        BlockTranslator translator = new BlockTranslator();
        Block two = nops(2);
        Block five = nops(5);
        translator.translate(two);
        translator.translate(five);
        int twoLength = codeLengthOfRun(BlockTranslator.classFile(two, 0).bytes());
        int fiveLength = codeLengthOfRun(BlockTranslator.classFile(five, 0).bytes());
        assertEquals(twoLength, BlockTranslator.classFile(two, 0).runLength(),
                "as the class file's Code attribute says");
        assertEquals(fiveLength, BlockTranslator.classFile(five, 0).runLength());
        assertTrue(twoLength > 0 && fiveLength > twoLength, twoLength + " then " + fiveLength);
        assertEquals(twoLength + fiveLength, translator.bytecodeBytes());
        assertEquals(2, translator.translations());
    }

    /**
     * Translations are Java 5 class files, without the stack map frames later versions need (working them out was
     * most of the translator's time): a translation made so loads and runs.
     */
    @Test
    void translationsAreClassFilesWithoutStackMapFramesThatLoadAndRun() throws IOException {
        byte[] classFile = BlockTranslator.classFile(nops(3), 0).bytes();
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        assertEquals(0xCAFEBABE, in.readInt());
        in.readUnsignedShort(); // minor version
        assertEquals(49, in.readUnsignedShort(), "Java 5's major version");
        assertFalse(new String(classFile, java.nio.charset.StandardCharsets.ISO_8859_1).contains("StackMapTable"));

        Cpu cpu = new Cpu(new dev.strata.emulator.memory.PhysicalMemory(1 << 20), new dev.strata.emulator.io.IoBus());
        cpu.eip = 0x100;
        assertEquals(3, new BlockTranslator().translate(nops(3)).run(cpu, 100), "three instructions run");
        assertEquals(0x103, cpu.eip);
    }

    /**
     * Registers the block changed are written to the CPU before an instruction that may fault, and a word pushed
     * moves SP there after it, each once: the ways out for a fault or a write to code hold no register copies of
     * their own. (Written back at every way out instead, the three MOVs' registers were stored after each push.)
     */
    @Test
    void aRegisterChangedBeforePushesIsWrittenToTheCpuOnceNotAtEachWayOut() {
        byte[] classFile = BlockTranslator.classFile(movesThenPushes(), 0).bytes();
        assertEquals(3 + 3, count(classFile, Opcodes.IASTORE, null),
                "AX, CX and DX before the first PUSH, SP after each");
    }

    /**
     * A translation's ways out (here, a fault in each PUSH and a write to code after each) end in one call of
     * {@link TranslatedOps#exit}: each pushes its EIP and count and jumps there.
     */
    @Test
    void theWaysOutOfATranslationShareOneCallOfItsExit() {
        byte[] classFile = BlockTranslator.classFile(movesThenPushes(), 0).bytes();
        assertEquals(1, count(classFile, Opcodes.INVOKESTATIC, "exit"));
    }

    /** mov ax,1; mov cx,2; mov dx,3; push ax; push cx; push dx (16-bit code). */
    private static Block movesThenPushes() {
        Exec nothing = new Exec() {
            @Override
            public void run(Cpu c, Insn i) {
            }
        };
        Insn[] insns = new Insn[6];
        for (int r = 0; r < 3; r++) {
            insns[r] = new Insn(nothing, 3, 1, 0, 0, 0, false, 0, 3, 8, 8, 0, 0, 0xFFFF, false, false, r + 1, 0, 0,
                    false, 0xB8 + r);
            insns[3 + r] = new Insn(nothing, 1, 1, 0, 0, 0, false, 0, 3, 8, 8, 0, 0, 0xFFFF, false, false, 0, 0, 0,
                    false, 0x50 + r);
        }
        return new Block(insns, CODE, false, CODE >>> 12, CODE >>> 12, false);
    }

    /**
     * The instructions with {@code opcode} in the translation's run method (of a method named {@code method} for a
     * call, any for null).
     */
    private static int count(byte[] classFile, int opcode, String method) {
        int[] found = new int[1];
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                if (!name.equals("run")) {
                    return null;
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitInsn(int op) {
                        if (op == opcode) {
                            found[0]++;
                        }
                    }

                    @Override
                    public void visitMethodInsn(int op, String owner, String name, String desc, boolean itf) {
                        if (op == opcode && (method == null || method.equals(name))) {
                            found[0]++;
                        }
                    }
                };
            }
        }, 0);
        return found[0];
    }

    @Test
    void theStatisticsLineShowsTheBytecodeInAllAndPerTranslation() {
        CpuStats cpu = new CpuStats(1000, 10, 1, 0, 900, 4, 0, 0, 2_000_000, 5000, 0);
        assertEquals(1250, cpu.bytecodePerTranslation());
        String line = new MachineStatistics(1000, 1, 1, 10, 1, 0, cpu, JitMode.ON).summary();
        assertTrue(line.contains("4 blocks translated (5000 bytes of bytecode, 1250 a block;"), line);
        assertEquals(0, new CpuStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).bytecodePerTranslation(), "none made yet");
        assertFalse(line.contains("could not be translated"), line);
        String failed = new MachineStatistics(1000, 1, 1, 10, 1, 0,
                new CpuStats(1000, 10, 1, 0, 900, 4, 0, 0, 2_000_000, 5000, 2), JitMode.ON).summary();
        assertTrue(failed.endsWith(", 2 could not be translated"), failed);
    }

    /** Reads the class file as the JVM does, up to the length of the code of the method named run. */
    private static int codeLengthOfRun(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        in.readInt();
        in.readInt();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        for (int k = 1; k < count; k++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1: utf8[k] = in.readUTF(); break;
                case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: in.skipBytes(4); break;
                case 5: case 6: in.skipBytes(8); k++; break;
                case 7: case 8: case 16: case 19: case 20: in.skipBytes(2); break;
                case 15: in.skipBytes(3); break;
                default: throw new IOException("constant pool tag " + tag + " at entry " + k);
            }
        }
        in.skipBytes(6);
        in.skipBytes(2 * in.readUnsignedShort());
        skipMembers(in);
        int methods = in.readUnsignedShort();
        for (int k = 0; k < methods; k++) {
            in.skipBytes(2);
            String name = utf8[in.readUnsignedShort()];
            in.skipBytes(2);
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                String attribute = utf8[in.readUnsignedShort()];
                int length = in.readInt();
                if (name.equals("run") && attribute.equals("Code")) {
                    in.skipBytes(4);
                    return in.readInt();
                }
                in.skipBytes(length);
            }
        }
        throw new IOException("no run method with code");
    }

    private static void skipMembers(DataInputStream in) throws IOException {
        int members = in.readUnsignedShort();
        for (int k = 0; k < members; k++) {
            in.skipBytes(6);
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                in.skipBytes(2);
                in.skipBytes(in.readInt());
            }
        }
    }
}
