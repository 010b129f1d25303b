package dev.strata.emulator.cpu.translate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.ProtectedModeMachine;
import dev.strata.emulator.cpu.decode.Block;
import dev.strata.emulator.cpu.decode.CompiledBlock;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.MemoryMap;
import dev.strata.emulator.memory.MemoryRegion;
import dev.strata.emulator.memory.MmioHandler;
import dev.strata.emulator.memory.PhysicalMemory;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The translating tier against the interpreter: the same code from the same state must end in the same state,
 * with the same instruction count, whatever it does (faults, interrupts, writes to its own code, HLT).
 */
class TranslatedBlocksTest {

    private static final int RAM = 2 << 20;
    /** Every interrupt vector points here: a handler that steps past the byte that faulted, then IRETs. */
    private static final int HANDLER = 0x0500;
    private static final int CODE = 0x10000;
    /** The protected-mode machines' exception handlers, 16 bytes a vector. */
    private static final int PM_HANDLERS = 0x60000;
    /** Where half of a protected-mode machine's registers point at the start: 64 KiB of RAM. */
    private static final int DATA_WINDOW = 0x40000;
    /** A 4 KiB 32-bit code segment over a protected-mode machine's code (a free GDT selector there). */
    private static final int CODE_4K = 0x58;
    /** The instructions {@link ProtectedModeMachine}'s way into protected mode takes. */
    private static final int PROLOGUE_INSTRUCTIONS = 12;

    /** The machines a test made: every block they were asked to translate must have been (see {@link #after}). */
    private final List<Cpu> machines = new ArrayList<>();

    /**
     * A block whose translation fails stays interpreted and runs the same, so a comparison with the interpreter
     * alone would not see a translator that fails: each test checks that none did.
     */
    @AfterEach
    void after() {
        for (Cpu c : machines) {
            assertEquals(0, c.stats().untranslatable(), "blocks the translator failed on (" + c.jit() + ")");
        }
    }

    /** A real-mode machine with {@code code} at 1000:0000, DS/ES at 2000h, SS:SP at 3000:FFFE. */
    private Cpu machine(byte[] code, JitMode jit, long seed) {
        PhysicalMemory mem = new PhysicalMemory(RAM);
        mem.setA20(true);
        Cpu c = new Cpu(mem, new IoBus());
        c.setJit(jit);
        machines.add(c);
        for (int v = 0; v < 256; v++) {
            mem.write16(v * 4, HANDLER);
            mem.write16(v * 4 + 2, 0);
        }
        // push bp; mov bp,sp; inc word [bp+2]; pop bp; iret
        mem.load(HANDLER, new byte[] {0x55, (byte) 0x89, (byte) 0xE5, (byte) 0xFF, 0x46, 0x02, 0x5D, (byte) 0xCF});
        mem.load(CODE, code);
        Random r = new Random(seed);
        for (int k = 0; k < 8; k++) {
            c.r[k] = r.nextInt();
        }
        c.loadSegment(Cpu.CS, CODE >>> 4);
        c.loadSegment(Cpu.DS, 0x2000);
        c.loadSegment(Cpu.ES, 0x2000);
        c.loadSegment(Cpu.SS, 0x3000);
        c.r[Cpu.ESP] = 0xFFFE;
        c.eip = 0;
        return c;
    }

    /** Everything a guest could see of the processor, as text for a readable failure. */
    private static String state(Cpu c) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < 8; k++) {
            b.append(String.format("r%d=%08x ", k, c.r[k]));
        }
        b.append(String.format("eip=%08x flags=%08x count=%d", c.eip, Flags.get(c), c.instructions));
        for (int s = 0; s < 6; s++) {
            b.append(String.format(" s%d=%04x/%08x", s, c.seg[s].selector, c.seg[s].base));
        }
        return b.append(" halted=").append(c.halted).toString();
    }

    private static byte[] ram(Cpu c) {
        byte[] all = new byte[RAM];
        c.mem.copyRam(0, all, 0, RAM);
        return all;
    }

    /** 1 KiB of random code: three bytes in four from {@code common} (so that it runs a while), the rest any. */
    private static byte[] randomCode(Random random, int[] common) {
        byte[] code = new byte[1024];
        for (int k = 0; k < code.length; k++) {
            code[k] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : common[random.nextInt(common.length)]);
        }
        return code;
    }

    /**
     * Runs two machines 500 instructions at a time, 20 times, waking them from HLT in between: the same state after
     * each slice and the same RAM at the end.
     */
    private static void runAlike(Cpu interpreted, Cpu translated, int stream) {
        for (int round = 0; round < 20; round++) {
            interpreted.run(500);
            translated.run(500);
            assertEquals(state(interpreted), state(translated), "stream " + stream + ", round " + round);
            interpreted.halted = false;
            translated.halted = false;
        }
        assertArrayEquals(ram(interpreted), ram(translated), "RAM after stream " + stream);
    }

    @Test
    void randomCodeEndsInTheSameStateTranslatedAsInterpreted() {
        Random random = new Random(20261204);
        // mostly common opcodes, so streams run for a while; every byte value can still appear
        int[] common = {0x01, 0x03, 0x29, 0x2B, 0x31, 0x33, 0x39, 0x3B, 0x40, 0x43, 0x48, 0x4B, 0x50, 0x53, 0x58,
            0x5B, 0x75, 0x74, 0x72, 0x89, 0x8B, 0x83, 0x81, 0xB8, 0xBB, 0xB0, 0xD1, 0xF7, 0xE2, 0xA4, 0xAB, 0x66,
            0x26, 0xF3, 0x88, 0x8A, 0x04, 0x3C, 0x0F, 0xE8, 0xC3, 0xEB};
        int translatedSomewhere = 0;
        for (int stream = 0; stream < 40; stream++) {
            byte[] code = randomCode(random, common);
            long seed = random.nextLong();
            Cpu translated = machine(code, JitMode.ALL, seed);
            runAlike(machine(code, JitMode.OFF, seed), translated, stream);
            if (translated.translatedInstructions > 0) {
                translatedSomewhere++;
            }
        }
        assertTrue(translatedSomewhere > 30, "the translated side ran translated code: " + translatedSomewhere);
    }

    /**
     * A 32-bit protected-mode machine ({@link ProtectedModeMachine}: DS, ES and SS flat) about to run {@code code}
     * from the start of a 4 KiB code segment, where every exception steps past the byte that faulted (dropping the
     * error code of the vectors that push one) and IRETs, and half of the registers point into a data window in RAM.
     */
    private ProtectedModeMachine flatMachine(byte[] code, JitMode jit, long seed) {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.cpu.setJit(jit);
        machines.add(p.cpu);
        for (int v = 0; v < 256; v++) {
            int stub = PM_HANDLERS + 16 * v;
            boolean errorCode = v == 8 || (v >= 10 && v <= 14) || v == 17;
            // [add esp,4;] inc dword [esp]; iret
            int[] body = errorCode ? new int[] {0x83, 0xC4, 0x04, 0xFF, 0x04, 0x24, 0xCF}
                    : new int[] {0xFF, 0x04, 0x24, 0xCF};
            p.at(stub, body);
            p.gate(v, 0x08, stub, 0x8E);
        }
        // a 32-bit code segment of 4 KiB over the code, so that a wild jump faults (and is stepped past) instead of
        // leaving the code for the rest of the 4 GiB
        p.descriptor(CODE_4K, ProtectedModeMachine.CODE32, 0xFFF, 0x9A, 0x4);
        p.code(0xEA, 0x07, 0x00, 0x00, 0x00, CODE_4K, 0x00); // jmp far 58:00000007, the byte after it
        p.m.mem.load(ProtectedModeMachine.CODE32 + 7, code);
        p.cpu.run(PROLOGUE_INSTRUCTIONS + 1); // DS, ES and SS flat, ESP 9000h
        assertEquals(7, p.cpu.eip, "the test's code is next");
        Random r = new Random(seed);
        for (int k = 0; k < 8; k++) {
            if (k != Cpu.ESP) {
                p.cpu.r[k] = k % 2 == 0 ? DATA_WINDOW + r.nextInt(0x10000) : r.nextInt();
            }
        }
        return p;
    }

    @Test
    void randomFlat32BitCodeEndsInTheSameStateTranslatedAsInterpreted() {
        Random random = new Random(20261207);
        // common 32-bit forms, so streams run for a while through the flat accessors; every byte value can appear
        int[] common = {0x01, 0x03, 0x29, 0x2B, 0x31, 0x33, 0x39, 0x3B, 0x21, 0x23, 0x09, 0x0B, 0x40, 0x43, 0x48,
            0x4B, 0x50, 0x53, 0x56, 0x58, 0x5B, 0x5E, 0x75, 0x74, 0x72, 0x77, 0x7C, 0x89, 0x8B, 0x8D, 0x83, 0x81,
            0x85, 0xB8, 0xBB, 0xB0, 0xC1, 0xD1, 0xD3, 0xF7, 0xE2, 0xA4, 0xA5, 0xAB, 0xAC, 0xAE, 0x66, 0xF3, 0x88,
            0x8A, 0x04, 0x3C, 0x0F, 0xE8, 0xC3, 0xEB, 0x69, 0x6B, 0x99, 0x98, 0x87, 0x91, 0xC6, 0xC7, 0xFF, 0xFE};
        int translatedSomewhere = 0;
        for (int stream = 0; stream < 30; stream++) {
            byte[] code = randomCode(random, common);
            long seed = random.nextLong();
            Cpu translated = flatMachine(code, JitMode.ALL, seed).cpu;
            runAlike(flatMachine(code, JitMode.OFF, seed).cpu, translated, stream);
            if (translated.translatedInstructions > 0) {
                translatedSomewhere++;
            }
        }
        assertTrue(translatedSomewhere > 25, "the translated side ran translated code: " + translatedSomewhere);
    }

    @Test
    void aBlockThatBranchesBackToItselfStopsWhereTheInterpreterStops() {
        // top: add ax,cx; xor dx,ax; loop top; hlt — one block of three that runs 1000 times, run in odd slices
        byte[] code = {0x01, (byte) 0xC8, 0x31, (byte) 0xC2, (byte) 0xE2, (byte) 0xFA, (byte) 0xF4};
        Cpu interpreted = machine(code, JitMode.OFF, 5);
        Cpu translated = machine(code, JitMode.ALL, 5);
        for (Cpu c : new Cpu[] {interpreted, translated}) {
            c.r[Cpu.ECX] = 1000;
        }
        int ax = interpreted.r[Cpu.EAX] & 0xFFFF, dx = interpreted.r[Cpu.EDX] & 0xFFFF, cx = 1000;
        long done = 0;
        int[] slices = {1, 2, 3, 4, 7, 100, 299, 3, 1000, 5000};
        for (int slice : slices) {
            assertEquals(interpreted.run(slice), translated.run(slice), "instructions run in a slice of " + slice);
            assertEquals(state(interpreted), state(translated), "after a slice of " + slice);
            // the loop worked out instruction by instruction, as the processor defines it
            for (long end = Math.min(done + slice, 3000); done < end; done++) {
                switch ((int) (done % 3)) {
                    case 0: ax = (ax + cx) & 0xFFFF; break;
                    case 1: dx ^= ax; break;
                    default: cx--; break;
                }
            }
            for (Cpu c : new Cpu[] {interpreted, translated}) {
                assertEquals(ax, c.r[Cpu.EAX] & 0xFFFF, "AX after " + done + " instructions, " + c.jit());
                assertEquals(dx, c.r[Cpu.EDX] & 0xFFFF, "DX after " + done + " instructions, " + c.jit());
                assertEquals(cx, c.r[Cpu.ECX] & 0xFFFF, "CX after " + done + " instructions, " + c.jit());
            }
        }
        assertTrue(translated.halted, "the loop ended");
        assertTrue(translated.stats().translatedPercent() > 90, translated.stats().toString());
        assertEquals(interpreted.stats().blockMisses(), translated.stats().blockMisses());
    }

    @Test
    void aBlockGoingRoundLeavesForAnInterruptWhereTheInterpreterTakesIt() {
        // sti; nop; top: inc si; mov [bx],al (DS=A000h: a device window); loop top; hlt — the device raises the
        // interrupt line at its 150th write, in the middle of a run
        byte[] code = {(byte) 0xFB, (byte) 0x90, 0x46, (byte) 0x88, 0x07, (byte) 0xE2, (byte) 0xFB, (byte) 0xF4};
        long[] taken = new long[2];
        Cpu[] cpus = {machine(code, JitMode.OFF, 6), machine(code, JitMode.ALL, 6)};
        for (int k = 0; k < 2; k++) {
            Cpu c = cpus[k];
            int which = k;
            int[] writes = {0};
            c.mem.mapLegacyRegion();
            c.mem.map().add(MemoryRegion.mmio("test window", 0x20000, MemoryRegion.BYTE, new MmioHandler() {
                @Override
                public int read(int offset, int size) {
                    return 0;
                }

                @Override
                public void write(int offset, int size, int value) {
                    if (++writes[0] == 150) {
                        c.setIntr(true);
                    }
                }
            }), PhysicalMemory.LEGACY_START, MemoryMap.PRIORITY_OVERLAY);
            c.mem.load(0x600, new byte[] {(byte) 0xCF}); // IRET
            c.mem.write16(0x20 * 4, 0x600);
            c.mem.write16(0x20 * 4 + 2, 0);
            c.setInterruptAcknowledge(() -> {
                c.setIntr(false);
                taken[which] = c.instructions;
                return 0x20;
            });
            c.loadSegment(Cpu.DS, 0xA000);
            c.r[Cpu.EBX] = 0;
            c.r[Cpu.ECX] = 500;
            c.r[Cpu.ESI] = 0;
            c.run(100_000);
            assertTrue(c.halted);
        }
        // STI, then the first block (NOP, INC, MOV, LOOP: the first write), then 149 passes of the loop block, the
        // last of which makes the 150th write; the interrupt is taken at the end of that block: 1 + 4 + 149 * 3
        assertEquals(452, taken[0], "interpreted: the interrupt was taken after the block that raised it");
        assertEquals(452, taken[1], "translated: the interrupt was taken after the block that raised it");
        assertEquals(state(cpus[0]), state(cpus[1]));
        assertTrue(cpus[1].translatedInstructions > 1000, "the loop ran translated");
    }

    @Test
    void aTimeStampReadInsideALoopingBlockSeesEveryEarlierPassCounted() {
        // top: rdtsc; add bx,ax; dec cx; jnz top; hlt — the time stamp follows the instruction count
        byte[] code = {0x0F, 0x31, 0x01, (byte) 0xC3, 0x49, 0x75, (byte) 0xF8, (byte) 0xF4};
        Cpu interpreted = machine(code, JitMode.OFF, 7);
        Cpu translated = machine(code, JitMode.ALL, 7);
        for (Cpu c : new Cpu[] {interpreted, translated}) {
            c.r[Cpu.ECX] = 300;
            c.r[Cpu.EBX] = 0;
            c.run(100_000);
            assertTrue(c.halted);
        }
        assertEquals(state(interpreted), state(translated), "the sum of 300 time stamps agrees");
    }

    @Test
    void aFaultInsideATranslatedBlockCountsTheInstructionsBeforeIt() {
        // inc ax; inc ax; div bl (BL=0: #DE); inc ax; hlt
        byte[] code = {0x40, 0x40, (byte) 0xF6, (byte) 0xF3, 0x40, (byte) 0xF4};
        for (JitMode jit : new JitMode[] {JitMode.OFF, JitMode.ALL}) {
            Cpu c = machine(code, jit, 1);
            c.r[Cpu.EAX] = 0;
            c.r[Cpu.EBX] = 0;
            c.run(3);
            assertEquals(3, c.instructions, jit + ": two INCs and the faulting DIV");
            assertEquals(HANDLER, c.eip, jit + ": in the #DE handler");
            assertEquals(2, c.r[Cpu.EAX] & 0xFFFF, jit.toString());
        }
    }

    @Test
    void aFaultingInstructionLeavesTheRegistersAndFlagsOfTheInstructionsBeforeIt() {
        // mov ax,1234h; add ax,1; mov cx,[0FFFFh] (a word at the end of DS: #GP); hlt — the first two run in the
        // translation's locals, the third faults: the exception frame must hold the flags of the ADD
        byte[] code = {(byte) 0xB8, 0x34, 0x12, (byte) 0x83, (byte) 0xC0, 0x01, (byte) 0x8B, 0x0E, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xF4};
        Cpu interpreted = machine(code, JitMode.OFF, 3);
        Cpu translated = machine(code, JitMode.ALL, 3);
        for (Cpu c : new Cpu[] {interpreted, translated}) {
            c.r[Cpu.ECX] = 0x5555;
            c.run(3);
            assertEquals(HANDLER, c.eip, "in the #GP handler");
            assertEquals(0x1235, c.r[Cpu.EAX] & 0xFFFF);
            assertEquals(0x5555, c.r[Cpu.ECX] & 0xFFFF, "the faulting MOV changed nothing");
        }
        assertEquals(state(interpreted), state(translated));
        assertArrayEquals(ram(interpreted), ram(translated), "the exception frames (IP 6, the ADD's flags) agree");
    }

    @Test
    void zeroAndSignExtendingMovesGiveWhatTheInterpreterGives() {
        // movzx ax,bh; movsx cx,byte [bx]; movsx edx,word [si]; movzx ebp,word [si+1]; movsx di,bl; hlt
        byte[] code = {0x0F, (byte) 0xB6, (byte) 0xC7, 0x0F, (byte) 0xBE, 0x0F, 0x66, 0x0F, (byte) 0xBF, 0x14, 0x66,
            0x0F, (byte) 0xB7, 0x6C, 0x01, 0x0F, (byte) 0xBE, (byte) 0xFB, (byte) 0xF4};
        Cpu interpreted = machine(code, JitMode.OFF, 5);
        Cpu translated = machine(code, JitMode.ALL, 5);
        for (Cpu c : new Cpu[] {interpreted, translated}) {
            c.r[Cpu.EBX] = 0x1234_9A80;
            c.r[Cpu.ESI] = 0x0000_0040;
            c.mem.write32(0x20000 + 0x9A80, 0x0000_00F0);
            c.mem.write32(0x20000 + 0x40, 0x00C0_8001);
            c.run(100);
            assertTrue(c.halted);
        }
        assertEquals(state(interpreted), state(translated));
        assertEquals(0xFFF0, translated.r[Cpu.ECX] & 0xFFFF, "the byte F0h sign-extended");
        assertEquals(0xFFFF_8001, translated.r[Cpu.EDX], "the word 8001h sign-extended to 32 bits");
    }

    @Test
    void shiftsAndRotatesWhoseFlagsAreOverwrittenGiveWhatTheInterpreterGives() {
        // add eax,ebx (lazy flags); one to four of: a shift or rotate of a register by one or an immediate (every
        // size and operation, RCL/RCR included), MOV, INC, DEC or NOT of a register, a store, INC or DEC of memory;
        // then an instruction that writes every flag (or a Jcc that reads them, or nothing); hlt. State compared
        // with the flags, at the HLT.
        Random random = new Random(20261206);
        int[] counts = {1, 2, 7, 8, 9, 15, 16, 17, 31};
        byte[][] writers = {
            {0x66, 0x31, (byte) 0xC8}, {0x01, (byte) 0xD1}, {0x66, 0x39, (byte) 0xC2}, {0x66, (byte) 0x85, (byte) 0xC0},
            {0x66, (byte) 0x83, (byte) 0xE1, 0x7F}, {(byte) 0xC1, (byte) 0xE2, 0x03}, {0x66, 0x0F, (byte) 0xAF,
                (byte) 0xC1}, {0x74, 0x00}, {}};
        int translatedOnes = 0;
        for (int round = 0; round < 400; round++) {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            b.writeBytes(new byte[] {0x66, 0x01, (byte) 0xD8});
            for (int k = 1 + random.nextInt(4); k > 0; k--) {
                int what = random.nextInt(9);
                if (random.nextBoolean()) {
                    b.write(0x66);
                }
                int reg = random.nextInt(8) == 4 ? 0 : random.nextInt(8); // not SP: the stack stays put
                switch (what) {
                    case 0: b.writeBytes(new byte[] {(byte) 0x89, (byte) (0xC0 | random.nextInt(8) << 3 | reg)}); break;
                    case 1: b.write((random.nextBoolean() ? 0x40 : 0x48) | reg); break; // INC, DEC
                    case 4: b.writeBytes(new byte[] {(byte) (0xFE | random.nextInt(2)), (byte) (random.nextInt(2) << 3
                            | 7)}); break; // INC or DEC of [bx]
                    case 2: b.writeBytes(new byte[] {(byte) 0xF7, (byte) (0xD0 | reg)}); break;
                    case 3: b.writeBytes(new byte[] {(byte) 0x89, 0x07}); break; // mov [bx],ax
                    default: {
                        int op = new int[] {0xD0, 0xD1, 0xC0, 0xC1}[random.nextInt(4)];
                        b.write(op);
                        b.write(0xC0 | new int[] {0, 1, 2, 3, 4, 5, 7}[random.nextInt(7)] << 3 | reg);
                        if (op == 0xC0 || op == 0xC1) {
                            b.write(counts[random.nextInt(counts.length)]);
                        }
                        break;
                    }
                }
            }
            b.writeBytes(writers[random.nextInt(writers.length)]);
            b.write(0xF4);
            long seed = random.nextLong();
            Cpu interpreted = machine(b.toByteArray(), JitMode.OFF, seed);
            Cpu translated = machine(b.toByteArray(), JitMode.ALL, seed);
            for (Cpu c : new Cpu[] {interpreted, translated}) {
                c.r[Cpu.EBX] &= 0xFFF0; // [bx] inside the data segment
                c.r[Cpu.ESP] = 0xFFFE;
                c.run(100);
                assertTrue(c.halted);
            }
            assertEquals(state(interpreted), state(translated), "round " + round + ": "
                    + java.util.HexFormat.of().formatHex(b.toByteArray()));
            assertArrayEquals(ram(interpreted), ram(translated));
            translatedOnes += translated.translatedInstructions > 0 ? 1 : 0;
        }
        assertTrue(translatedOnes == 400, "every block ran translated: " + translatedOnes);
    }

    @Test
    void shiftsAndRotatesOfRegistersGiveWhatTheInterpreterGives() {
        // add eax,ebx (lazy flags to keep or materialise); a shift or rotate of a register by one, by an immediate
        // or by CL, in every size and operation; adc edx,esi (reads CF); hlt
        Random random = new Random(20261205);
        int[] counts = {0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 255};
        for (int round = 0; round < 300; round++) {
            int op = new int[] {0xD0, 0xD1, 0xD2, 0xD3, 0xC0, 0xC1}[random.nextInt(6)];
            int sub = new int[] {0, 1, 2, 3, 4, 5, 7}[random.nextInt(7)];
            boolean wide = (op & 1) != 0 && random.nextBoolean(); // 66h: 32-bit operand in real mode
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            b.writeBytes(new byte[] {0x66, 0x01, (byte) 0xD8});
            if (wide) {
                b.write(0x66);
            }
            b.write(op);
            b.write(0xC0 | sub << 3 | random.nextInt(8));
            if (op == 0xC0 || op == 0xC1) {
                b.write(counts[random.nextInt(counts.length)]);
            }
            b.writeBytes(new byte[] {0x66, 0x11, (byte) 0xF2, (byte) 0xF4});
            long seed = random.nextLong();
            int cl = counts[random.nextInt(counts.length)];
            Cpu interpreted = machine(b.toByteArray(), JitMode.OFF, seed);
            Cpu translated = machine(b.toByteArray(), JitMode.ALL, seed);
            for (Cpu c : new Cpu[] {interpreted, translated}) {
                c.r[Cpu.ECX] = c.r[Cpu.ECX] & ~0xFF | cl;
                c.run(100);
                assertTrue(c.halted);
            }
            assertEquals(state(interpreted), state(translated), "round " + round + ": " + java.util.HexFormat.of()
                    .formatHex(b.toByteArray()) + " with CL=" + cl);
            assertTrue(translated.translatedInstructions >= 3, "the block ran translated");
        }
    }

    @Test
    void multipliesNegationsTestsAndIncrementsOfMemoryGiveWhatTheInterpreterGives() {
        // add eax,ebx (lazy flags to keep or overwrite); one IMUL (0F AF, 69, 6B), TEST r/m,imm, NOT, NEG, INC or
        // DEC (FE/FF) of a register or of [bx]/[bx+d8], byte, word or dword; adc edx,esi (reads CF); hlt
        Random random = new Random(20261205L * 3);
        for (int round = 0; round < 400; round++) {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            b.writeBytes(new byte[] {0x66, 0x01, (byte) 0xD8});
            int kind = random.nextInt(5);
            boolean wide = random.nextBoolean(); // 66h: 32-bit operand in real mode
            boolean bytes = kind >= 2 && random.nextInt(3) == 0; // F6/FE: the byte forms
            if (wide && !bytes) {
                b.write(0x66);
            }
            int reg = random.nextInt(8);
            int opcode;
            switch (kind) {
                case 0: opcode = 0xAF; b.write(0x0F); break;
                case 1: opcode = random.nextBoolean() ? 0x69 : 0x6B; break;
                case 2: opcode = bytes ? 0xF6 : 0xF7; reg = random.nextInt(4); break; // TEST (twice), NOT, NEG
                default: opcode = bytes ? 0xFE : 0xFF; reg = random.nextInt(2); break; // INC, DEC
            }
            b.write(opcode);
            int form = random.nextInt(3);
            if (form == 0) {
                b.write(0xC0 | reg << 3 | random.nextInt(8));
            } else if (form == 1) {
                b.write(reg << 3 | 7); // [bx]
            } else {
                b.write(0x40 | reg << 3 | 7);
                b.write(random.nextInt(256)); // [bx+d8]
            }
            if (opcode == 0x6B || kind == 2 && reg <= 1 && bytes) {
                b.write(random.nextInt(256));
            } else if (opcode == 0x69 || kind == 2 && reg <= 1) {
                for (int k = 0; k < (wide ? 4 : 2); k++) {
                    b.write(random.nextInt(256));
                }
            }
            b.writeBytes(new byte[] {0x66, 0x11, (byte) 0xF2, (byte) 0xF4});
            long seed = random.nextLong();
            int data = random.nextInt();
            Cpu interpreted = machine(b.toByteArray(), JitMode.OFF, seed);
            Cpu translated = machine(b.toByteArray(), JitMode.ALL, seed);
            for (Cpu c : new Cpu[] {interpreted, translated}) {
                c.r[Cpu.EBX] &= 0xFFFF7FFF; // [bx+d8] stays inside the segment
                int bx = c.r[Cpu.EBX] & 0xFFFF;
                for (int k = 0; k < 0x104; k++) { // [bx] and [bx+d8] read this pattern
                    c.mem.write8(0x20000 + bx + k, data >>> (8 * (k & 3)) ^ k);
                }
                c.run(100);
                assertTrue(c.halted, "round " + round + ": " + java.util.HexFormat.of().formatHex(b.toByteArray()));
            }
            String code = java.util.HexFormat.of().formatHex(b.toByteArray());
            assertEquals(state(interpreted), state(translated), "round " + round + ": " + code);
            assertArrayEquals(ram(interpreted), ram(translated), "RAM after round " + round + ": " + code);
            assertTrue(translated.translatedInstructions >= 3, "the block ran translated: " + code);
        }
    }

    @Test
    void conditionalMovesSetsLeavesSwapsAndPushesGiveWhatTheInterpreterGives() {
        // add or cmp eax,ebx (the flags the condition reads); CMOVcc or SETcc of a register or of [bx+d8], LEAVE,
        // PUSH imm16/imm32/imm8, BSWAP, or PUSH of a register or [bx+d8] (FF /6); adc edx,esi; hlt
        Random random = new Random(20261205L * 5);
        for (int round = 0; round < 400; round++) {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            b.writeBytes(new byte[] {0x66, (byte) (random.nextBoolean() ? 0x01 : 0x39), (byte) 0xD8});
            boolean wide = random.nextBoolean();
            int kind = random.nextInt(6);
            if (wide && kind != 1) {
                b.write(0x66);
            }
            switch (kind) {
                case 0: case 1: case 5:
                    int reg = random.nextInt(8);
                    if (kind == 5) {
                        b.write(0xFF);
                        reg = 6;
                    } else {
                        b.writeBytes(new byte[] {0x0F, (byte) ((kind == 0 ? 0x40 : 0x90) + random.nextInt(16))});
                    }
                    if (random.nextBoolean()) {
                        b.write(0xC0 | reg << 3 | random.nextInt(8));
                    } else {
                        b.write(0x40 | reg << 3 | 7); // [bx+d8]
                        b.write(random.nextInt(256));
                    }
                    break;
                case 2:
                    b.write(0xC9); // leave
                    break;
                case 4:
                    b.writeBytes(new byte[] {0x0F, (byte) (0xC8 + random.nextInt(8))}); // bswap
                    break;
                default:
                    boolean imm8 = random.nextBoolean();
                    b.write(imm8 ? 0x6A : 0x68);
                    for (int k = 0; k < (imm8 ? 1 : wide ? 4 : 2); k++) {
                        b.write(random.nextInt(256));
                    }
                    break;
            }
            b.writeBytes(new byte[] {0x66, 0x11, (byte) 0xF2, (byte) 0xF4});
            long seed = random.nextLong();
            int data = random.nextInt();
            Cpu interpreted = machine(b.toByteArray(), JitMode.OFF, seed);
            Cpu translated = machine(b.toByteArray(), JitMode.ALL, seed);
            String code = java.util.HexFormat.of().formatHex(b.toByteArray());
            for (Cpu c : new Cpu[] {interpreted, translated}) {
                c.r[Cpu.EBX] &= 0xFFFF7FFF; // [bx+d8] stays inside the segment
                c.r[Cpu.EBP] &= 0xFFFF7FFE; // so does what LEAVE reads at SS:BP
                int bx = c.r[Cpu.EBX] & 0xFFFF;
                int bp = c.r[Cpu.EBP] & 0xFFFF;
                for (int k = 0; k < 0x104; k++) {
                    c.mem.write8(0x20000 + bx + k, data >>> (8 * (k & 3)) ^ k);
                    c.mem.write8(0x30000 + bp + k, data >>> (8 * (k & 3)) ^ ~k);
                }
                c.run(100);
                assertTrue(c.halted, "round " + round + ": " + code);
            }
            assertEquals(state(interpreted), state(translated), "round " + round + ": " + code);
            assertArrayEquals(ram(interpreted), ram(translated), "RAM after round " + round + ": " + code);
            assertTrue(translated.translatedInstructions >= 3, "the block ran translated: " + code);
        }
    }

    /**
     * top: mov ax,[si]; add [di],ax; push ax; pop bx; mov [es:di+2],bl; add si,2; add di,3; loop top; hlt — a block
     * that goes round with every instruction its own bytecode, so it holds DS, ES, SS and the RAM TLB in locals.
     */
    private static final byte[] MEMORY_LOOP = {(byte) 0x8B, 0x04, 0x01, 0x05, 0x50, 0x5B, 0x26, (byte) 0x88, 0x5D,
        0x02, (byte) 0x83, (byte) 0xC6, 0x02, (byte) 0x83, (byte) 0xC7, 0x03, (byte) 0xE2, (byte) 0xEE, (byte) 0xF4};

    @Test
    void aLoopHoldingItsSegmentsInLocalsReadsWritesAndFaultsAsTheInterpreterDoes() {
        Cpu interpreted = machine(MEMORY_LOOP, JitMode.OFF, 6);
        Cpu translated = machine(MEMORY_LOOP, JitMode.ALL, 6);
        for (Cpu c : new Cpu[] {interpreted, translated}) {
            // from a few pages below the end of DS over page after page (each a RAM TLB miss) to the word at FFFFh,
            // which is beyond DS's limit: #GP in the middle of a pass
            c.r[Cpu.ESI] = 0xC001;
            c.r[Cpu.EDI] = 0x1000;
            c.r[Cpu.ECX] = 0x3000;
            c.loadSegment(Cpu.ES, 0x4000);
            c.mem.write16(13 * 4, HANDLER + 0x20); // #GP lands on a HLT of its own
            c.mem.write8(HANDLER + 0x20, 0xF4);
            for (int k = 0; k < 0x10000; k += 2) {
                c.mem.write16(0x20000 + k, k * 7 + 3);
            }
        }
        int[] slices = {1, 5, 8, 13, 100, 999, 4000, 20000, 50000, 100000};
        for (int slice : slices) {
            assertEquals(interpreted.run(slice), translated.run(slice), "instructions run in a slice of " + slice);
            assertEquals(state(interpreted), state(translated), "after a slice of " + slice);
        }
        assertArrayEquals(ram(interpreted), ram(translated));
        for (Cpu c : new Cpu[] {interpreted, translated}) {
            assertEquals(0xFFFF, c.r[Cpu.ESI] & 0xFFFF, c.jit() + ": the loop ran to the end of DS");
            assertEquals(HANDLER + 0x21, c.eip, c.jit() + ": halted in the #GP handler");
        }
        assertTrue(translated.stats().translatedPercent() > 90, translated.stats().toString());
    }

    @Test
    void theLongestLoopHoldingItsSegmentsInLocalsStaysSmallEnoughForTheJitCompiler() {
        // top: 31 x (push word [bx+si+d]; pop ax); dec cx; jnz top — as long as a block gets (64 instructions),
        // every instruction an access whose values the loop holds in locals: the largest translation found (7,878
        // bytes of bytecode); beyond 8,000 HotSpot never compiles a method (HugeMethodLimit)
        java.io.ByteArrayOutputStream code = new java.io.ByteArrayOutputStream();
        for (int k = 0; k < 31; k++) {
            code.writeBytes(new byte[] {(byte) 0xFF, 0x70, (byte) (k * 2), 0x58});
        }
        code.write(0x49);
        int back = -(code.size() + 4);
        code.writeBytes(new byte[] {0x0F, (byte) 0x85, (byte) back, (byte) (back >> 8)});
        Cpu interpreted = machine(code.toByteArray(), JitMode.OFF, 8);
        Cpu translated = machine(code.toByteArray(), JitMode.ALL, 8);
        for (Cpu c : new Cpu[] {interpreted, translated}) {
            c.r[Cpu.ECX] = 1000;
            assertEquals(6400, c.run(6400));
        }
        assertEquals(state(interpreted), state(translated));
        assertArrayEquals(ram(interpreted), ram(translated));
        assertEquals(1, translated.stats().translations(), "the loop alone");
        long bytes = translated.stats().translationBytecode();
        assertTrue(bytes <= 8000, bytes + " bytes of bytecode");
    }

    @Test
    void aLoopToATargetBeyondTheCodeSegmentLimitFaultsWithCxAsItWas() {
        // at 0FF0h: loop +7Fh, whose target 1071h lies beyond a CS limit of 0FFFh: #GP, CX not counted down
        byte[] code = new byte[0x1000];
        code[0x0FF0] = (byte) 0xE2;
        code[0x0FF1] = 0x7F;
        for (JitMode jit : new JitMode[] {JitMode.OFF, JitMode.ALL}) {
            Cpu c = machine(code, jit, 4);
            c.seg[Cpu.CS].limit = 0x0FFF;
            c.eip = 0x0FF0;
            c.r[Cpu.ECX] = 5;
            c.run(1);
            assertEquals(HANDLER, c.eip, jit + ": in the #GP handler");
            assertEquals(5, c.r[Cpu.ECX], jit + ": ECX as before the LOOP");
        }
    }

    @Test
    void aWriteToItsOwnCodeEndsATranslatedBlockAtTheNextInstruction() {
        // mov byte [cs:0007],41h (turns the NOP below into INC CX); nop; hlt — the store lands in the running block
        byte[] code = {0x2E, (byte) 0xC6, 0x06, 0x07, 0x00, 0x41, (byte) 0x90, (byte) 0x90, (byte) 0xF4};
        for (JitMode jit : new JitMode[] {JitMode.OFF, JitMode.ALL}) {
            Cpu c = machine(code, jit, 2);
            c.r[Cpu.ECX] = 0;
            c.run(100);
            assertEquals(1, c.r[Cpu.ECX] & 0xFFFF, jit + ": the modified instruction ran as written");
            assertTrue(c.halted, jit.toString());
        }
    }

    @Test
    void everyConditionAfterEachFlagSettingOperationGivesWhatTheInterpreterGives() {
        // op bl,al / bx,ax / ebx,eax (or bx,[si], or dec bx); jcc +1; inc cx; hlt — CMP, SUB, SBB, ADD, AND, TEST
        int[][] forms = {{0x38, 0xC3}, {0x28, 0xC3}, {0x18, 0xC3}, {0x00, 0xC3}, {0x20, 0xC3}, {0x84, 0xC3},
            {0x3A, 0x1C}, {0x4B}};
        int[] values = {0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, -1, 0x12345678};
        int cases = 0;
        for (int[] form : forms) {
            for (int size = 0; size < 3; size++) {
                for (int cc = 0; cc < 16; cc++) {
                    byte[] code = new byte[8];
                    int at = 0;
                    if (size == 2) {
                        code[at++] = 0x66;
                    }
                    code[at++] = (byte) (size == 0 || form.length == 1 ? form[0] : form[0] | 1);
                    if (form.length > 1) {
                        code[at++] = (byte) form[1];
                    }
                    code[at++] = (byte) (0x70 + cc);
                    code[at++] = 1;
                    code[at++] = 0x41;
                    code[at] = (byte) 0xF4;
                    Cpu interpreted = machine(code, JitMode.OFF, 5);
                    Cpu translated = machine(code, JitMode.ALL, 5);
                    for (int a : values) {
                        for (int b : values) {
                            for (int carry = 0; carry < 2; carry++) {
                                for (Cpu c : new Cpu[] {interpreted, translated}) {
                                    c.eip = 0;
                                    c.halted = false;
                                    c.r[Cpu.EAX] = a;
                                    c.r[Cpu.EBX] = b;
                                    c.r[Cpu.ESI] = 0x100;
                                    c.mem.write16(0x20100, a);
                                    c.mem.write16(0x20102, a >>> 16);
                                    Flags.set(c, carry, Flags.CF);
                                    c.run(4);
                                }
                                String what = String.format("%s size %d cc %x a %x b %x carry %d",
                                        java.util.Arrays.toString(form), size, cc, a, b, carry);
                                assertEquals(state(interpreted), state(translated), what);
                                cases++;
                            }
                        }
                    }
                    assertTrue(translated.translatedInstructions > 0, "ran translated");
                }
            }
        }
        assertEquals(8 * 3 * 16 * 13 * 13 * 2, cases);
    }

    @Test
    void aWriteToItsOwnCodeLeavesTheRegistersAndFlagsTheInstructionsBeforeItLeft() {
        // add ax,1; inc bx; cmp dx,ax; mov byte [cs:000Dh],41h (turns the NOP below into INC CX); nop; hlt
        byte[] code = {(byte) 0x83, (byte) 0xC0, 0x01, 0x43, 0x39, (byte) 0xC2, 0x2E, (byte) 0xC6, 0x06, 0x0D, 0x00,
            0x41, (byte) 0x90, (byte) 0x90, (byte) 0xF4};
        Cpu interpreted = machine(code, JitMode.OFF, 6);
        Cpu translated = machine(code, JitMode.ALL, 6);
        for (Cpu c : new Cpu[] {interpreted, translated}) {
            c.run(4);
            assertEquals(4, c.instructions, "the block was left after the write");
            c.run(100);
            assertTrue(c.halted);
        }
        assertEquals(state(interpreted), state(translated));
        assertArrayEquals(ram(interpreted), ram(translated));
    }

    @Test
    void aTranslationNoLongerReferencedIsUnloaded() throws InterruptedException {
        Exec nothing = new Exec() {
            @Override
            public void run(Cpu c, Insn i) {
            }
        };
        Insn nop = new Insn(nothing, 1, 1, 0, 0, 0, false, 0, 3, 8, 8, 0, 0, 0xFFFF, false, false, 0, 0, 0, false,
                0x90);
        CompiledBlock translation = new BlockTranslator().translate(new Block(new Insn[] {nop, nop}, CODE, false,
                CODE >>> 12, CODE >>> 12, false));
        WeakReference<Class<?>> translated = new WeakReference<>(translation.getClass());
        translation = null; // the block is gone too: nothing holds the class but the JVM
        for (int k = 0; k < 50 && translated.get() != null; k++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(translated.get(), "the hidden class of a dropped translation was unloaded");
    }

    /**
     * The translator primes a new translation by calling it with nothing to run (so the JVM compiles it sooner): such
     * a call returns before the translation's first use of the CPU, which it is not given.
     */
    @Test
    void aTranslationAskedToRunNothingReturnsAtOnceWithoutTheCpu() {
        Exec incrementEax = new Exec() {
            @Override
            public void run(Cpu c, Insn i) {
                c.r[Cpu.EAX]++;
            }
        };
        Insn inc = new Insn(incrementEax, 1, 1, 0, 0, 0, false, 0, 3, 8, 8, 0, 0, 0xFFFF, false, false, 0, 0, 0, false,
                0x40);
        CompiledBlock translation = new BlockTranslator().translate(new Block(new Insn[] {inc, inc}, CODE, false,
                CODE >>> 12, CODE >>> 12, false));
        assertEquals(0, translation.run(null, CompiledBlock.NOTHING));
        Cpu c = machine(new byte[] {0x40, 0x40}, JitMode.OFF, 5);
        String before = state(c);
        assertEquals(0, translation.run(c, CompiledBlock.NOTHING));
        assertEquals(before, state(c), "nothing ran");
        int eax = c.r[Cpu.EAX];
        assertEquals(2, translation.run(c, 100), "the same translation then runs its block");
        assertEquals(eax + 2, c.r[Cpu.EAX]);
        assertEquals(2, c.eip);
    }

    @Test
    void nothingIsTranslatedDuringTheWarmUp() {
        byte[] code = {0x01, (byte) 0xC8, (byte) 0xE2, (byte) 0xFC, (byte) 0xF4}; // add ax,cx; loop; hlt
        Cpu c = machine(code, JitMode.ON, 4);
        c.r[Cpu.ECX] = 0xFFFF;
        c.run(1_000_000);
        assertTrue(c.halted);
        assertEquals(0, c.stats().translations(), "131,072 instructions are all warm-up");
    }

    /**
     * A block of more than 8 instructions gets hot once it has run about {@code Block.HOT_INSTRUCTIONS} instructions,
     * before its 15,000th run; a short block run as often is not translated. The background translator takes blocks
     * in order, so once the long block's translation is there the short one's would be too.
     */
    @Test
    void aLongBlockIsTranslatedAfterFewerRunsThanAShortOne() throws InterruptedException {
        byte[] longLoop = new byte[43]; // top: 40 x inc dx; loop top; hlt
        java.util.Arrays.fill(longLoop, 0, 40, (byte) 0x42);
        longLoop[40] = (byte) 0xE2;
        longLoop[41] = (byte) -42;
        longLoop[42] = (byte) 0xF4;
        byte[] shortLoop = {0x42, (byte) 0xE2, (byte) 0xFD, (byte) 0xF4}; // top: inc dx; loop top; hlt
        Cpu small = machine(shortLoop, JitMode.ON, 5);
        Cpu large = machine(longLoop, JitMode.ON, 5);
        for (Cpu c : List.of(small, large)) {
            c.instructions = JitMode.WARM_UP_INSTRUCTIONS; // as in a machine warmed up
            c.r[Cpu.ECX] = 4000; // 4,000 runs: 164,000 instructions of the long block, 8,000 of the short one
            c.run(1_000_000);
            assertTrue(c.halted);
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (large.stats().translations() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(1, large.stats().translations(), "the long block got hot in 4,000 runs");
        assertEquals(0, small.stats().translations(), "the short block needs 15,000");
    }

    @Test
    void hotBlocksAreTranslatedInTheBackgroundAndRunTheSame() throws InterruptedException {
        // top: add ax,cx; loop top; inc dx; jmp top — runs for ever, mostly in the first block
        byte[] code = {0x01, (byte) 0xC8, (byte) 0xE2, (byte) 0xFC, 0x42, (byte) 0xEB, (byte) 0xF9};
        Cpu interpreted = machine(code, JitMode.OFF, 3);
        Cpu hot = machine(code, JitMode.ON, 3);
        interpreted.instructions = hot.instructions = JitMode.WARM_UP_INSTRUCTIONS; // as in a machine warmed up
        // the translator's thread is shared by every machine in the JVM and may be busy: wait for it, within reason
        long deadline = System.nanoTime() + 60_000_000_000L;
        long translatedSlices = 0;
        while (translatedSlices < 1000 && System.nanoTime() < deadline) {
            interpreted.run(50);
            hot.run(50);
            assertEquals(state(interpreted), state(hot));
            if (hot.translatedInstructions > 0) {
                translatedSlices++;
            } else {
                Thread.sleep(1);
            }
        }
        assertTrue(hot.translatedInstructions > 0, "the hot block ran translated");
        assertArrayEquals(ram(interpreted), ram(hot));
        assertTrue(BlockTranslator.backgroundCpuNanos() > 0, "the background thread's CPU time is measured");
    }
}
