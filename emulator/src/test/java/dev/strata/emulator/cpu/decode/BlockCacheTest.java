package dev.strata.emulator.cpu.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.BytecodeLength;
import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.ProtectedModeMachine;
import dev.strata.emulator.cpu.TestMachine;
import dev.strata.emulator.cpu.translate.JitMode;
import org.junit.jupiter.api.Test;

/** Where decoded blocks live: a block pushed out of its table slot is found again, decoded and translated once. */
class BlockCacheTest {

    private static final int FIRST = 0x10000;
    /** The instructions {@link ProtectedModeMachine}'s way into protected mode takes. */
    private static final int PROLOGUE = 12;

    /** A physical address on another page whose table slot is the one {@link #FIRST} has. */
    private static int rival() {
        for (int p = FIRST + 0x1000; ; p++) {
            if (BlockCache.slot(p) == BlockCache.slot(FIRST)) {
                return p;
            }
        }
    }

    /** Runs the code at {@code physical} (real mode, CS = its paragraph) up to its HLT. */
    private static void runAt(TestMachine m, int physical) {
        m.cpu.loadSegment(Cpu.CS, physical >>> 4);
        m.cpu.eip = physical & 0xF;
        m.cpu.halted = false;
        m.run();
    }

    @Test
    void aBlockPushedOutOfItsSlotIsFoundAgainWithItsTranslation() {
        int second = rival();
        assertNotEquals(FIRST >>> 12, second >>> 12);
        TestMachine m = new TestMachine();
        m.cpu.setJit(JitMode.ALL);
        m.data(FIRST, 0x40, 0xF4);  // inc ax; hlt
        m.data(second, 0x43, 0xF4); // inc bx; hlt
        runAt(m, FIRST);
        runAt(m, second); // takes the slot
        runAt(m, FIRST);
        runAt(m, second);
        assertEquals(2, m.reg(Cpu.EAX) & 0xFFFF);
        assertEquals(2, m.reg(Cpu.EBX) & 0xFFFF);
        assertEquals(2, m.cpu.blockMisses(), "each block decoded once");
        assertEquals(2, m.cpu.stats().translations(), "each block translated once");
        assertEquals(0, m.cpu.stats().droppedTranslations());
        assertEquals(2, m.cpu.blockCensus().blocks());
        assertEquals(2, m.cpu.blockCensus().translated());
    }

    @Test
    void aWriteStillRetiresABlockOutsideTheTable() {
        int second = rival();
        TestMachine m = new TestMachine();
        m.data(FIRST, 0x40, 0xF4);
        m.data(second, 0x43, 0xF4);
        runAt(m, FIRST);
        runAt(m, second);
        m.mem.write8(FIRST, 0x48); // dec ax
        runAt(m, FIRST);
        assertEquals(0, m.reg(Cpu.EAX) & 0xFFFF, "the new bytes ran");
        assertEquals(3, m.cpu.blockMisses());
    }

    @Test
    void aBlockWithOneLinkGoesOnToTheLastEipOfTheAddressSpace() {
        String[] after = new String[2];
        for (JitMode jit : new JitMode[] {JitMode.OFF, JitMode.ALL}) {
            // 7200: mov ebx,7220h; xor eax,eax; jz 7230h. 7220: mov ebx,FFFFFFFFh; xor eax,eax; jz 7230h.
            // 7230: jmp ebx: first to 7220h (its one link), then to EIP FFFFFFFFh, which the empty link's key matched
            ProtectedModeMachine p = new ProtectedModeMachine();
            p.cpu.setJit(jit);
            p.code(0xBB, 0x20, 0x72, 0x00, 0x00, 0x31, 0xC0, 0x74, 0x27);
            p.at(0x7220, 0xBB, 0xFF, 0xFF, 0xFF, 0xFF, 0x31, 0xC0, 0x74, 0x07);
            p.at(0x7230, 0xFF, 0xE3);
            p.cpu.run(PROLOGUE + 8);
            assertEquals(-1, p.cpu.eip, jit + ": at EIP FFFFFFFFh");
            p.cpu.run(32); // the lookup there threw a NullPointerException out of the CPU
            after[jit == JitMode.OFF ? 0 : 1] = Integer.toHexString(p.cpu.eip) + " " + p.cpu.instructions;
        }
        assertEquals(after[0], after[1], "interpreted and translated go on alike");
    }

    @Test
    void theLookupBehindTheLinksStaysTooLargeForTheJitCompilerToInlineIntoNext() {
        // C2 inlines a hot call of up to FreqInlineSize (325) bytes of bytecode; were found inlined into next, the
        // decoder's path would make next's compiled code too big to be inlined into the run loop in turn
        int length = BytecodeLength.of(BlockCache.class, "found");
        assertTrue(length > 325, "BlockCache.found: " + length + " bytes");
    }
}
