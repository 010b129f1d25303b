package dev.strata.emulator.cpu.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.TestMachine;
import org.junit.jupiter.api.Test;

/** Writes to decoded code must run the new bytes (code at physical 7100h, addressed through DS = 0). */
class SelfModifyingCodeTest {

    @Test
    void writeToTheVeryNextInstructionInTheSameBlockTakesEffect() {
        // 7100: mov byte [7106h],5   7105: mov al,1 (its immediate is at 7106)   7107: hlt
        TestMachine m = new TestMachine().code(0xC6, 0x06, 0x06, 0x71, 0x05, 0xB0, 0x01, 0xF4).run();
        assertEquals(5, m.reg(Cpu.EAX) & 0xFF);
    }

    @Test
    void writeFurtherDownTheSameBlockTakesEffect() {
        // 7100: mov byte [710Ah],7; nop x4; 7109: mov al,1; 710B: hlt
        TestMachine m = new TestMachine().code(0xC6, 0x06, 0x0A, 0x71, 0x07, 0x90, 0x90, 0x90, 0x90, 0xB0, 0x01, 0xF4).run();
        assertEquals(7, m.reg(Cpu.EAX) & 0xFF);
    }

    @Test
    void previouslyRunBlockIsRedecodedAfterAWrite() {
        TestMachine m = new TestMachine().code(
                0xB0, 0x01,                   // 0100 mov al,1
                0x43,                         // 0102 inc bx
                0x80, 0xFB, 0x02,             // 0103 cmp bl,2
                0x74, 0x07,                   // 0106 je 010F
                0xC6, 0x06, 0x01, 0x71, 0x09, // 0108 mov byte [7101h],9
                0xEB, 0xF1,                   // 010D jmp 0100
                0xF4).run();                  // 010F hlt
        assertEquals(9, m.reg(Cpu.EAX) & 0xFF);
        assertEquals(2, m.reg(Cpu.EBX));
    }

    @Test
    void stringStoreOverCodeIsSeen() {
        // mov di,7110h; mov al,90h (nop); mov cx,2; rep stosb; 710B..: jmp to 7110 region
        TestMachine m = new TestMachine().code(
                0xBF, 0x10, 0x71,             // 0100 mov di,7110h
                0xB0, 0x40,                   // 0103 mov al,40h (inc ax)
                0xB9, 0x02, 0x00,             // 0105 mov cx,2
                0xF3, 0xAA,                   // 0108 rep stosb
                0xEB, 0x04,                   // 010A jmp 0110
                0xF4, 0xF4, 0xF4, 0xF4,       // 010C
                0x90, 0x90, 0xF4);            // 0110 nop; nop; hlt (become inc ax; inc ax)
        // decode 0110 once so there is a stale block to kill
        m.cpu.eip = 0x110;
        m.run();
        m.cpu.eip = 0x100;
        m.cpu.halted = false;
        m.run();
        assertEquals(0x42, m.reg(Cpu.EAX) & 0xFFFF);
    }

    @Test
    void dataWritesOnOtherPagesKeepCachedBlocks() {
        // loop: mov [2000h],ax; inc ax; cmp ax,100; jb loop; hlt
        TestMachine m = new TestMachine().code(0xA3, 0x00, 0x20, 0x40, 0x3D, 100, 0, 0x72, 0xF7, 0xF4).run();
        assertEquals(100, m.reg(Cpu.EAX));
        assertEquals(2, m.cpu.blockMisses(), "the loop block and the HLT block decode once each");
    }

    /**
     * FFFF:0110 is physical 100100 with A20 on and 000100 with it off; both hold mov al,N; hlt; jmp 0110 (N = 2
     * and 1). Runs it once with the gate off, to the HLT.
     */
    private static TestMachine a20Machine() {
        TestMachine m = new TestMachine();
        m.data(0x100100, 0xB0, 0x02, 0xF4, 0xEB, 0xFB);
        m.mem.setA20(false);
        m.data(0x000100, 0xB0, 0x01, 0xF4, 0xEB, 0xFB);
        m.cpu.loadSegment(Cpu.CS, 0xFFFF);
        m.cpu.eip = 0x110;
        return m.run();
    }

    @Test
    void a20ToggleRemapsCodeAboveOneMegabyte() {
        TestMachine m = a20Machine();
        assertEquals(1, m.reg(Cpu.EAX) & 0xFF);
        resume(m); // through the jmp: links the jmp block to the mov block
        assertEquals(1, m.reg(Cpu.EAX) & 0xFF);
        m.mem.setA20(true);
        resume(m);
        assertEquals(2, m.reg(Cpu.EAX) & 0xFF);
    }

    @Test
    void a20ToggleKeepsTheDecodedBlocks() {
        TestMachine m = a20Machine();
        resume(m); // through the jmp: both blocks of the A20-off mapping decoded
        m.mem.setA20(true);
        resume(m);
        long misses = m.cpu.blockMisses();
        m.mem.setA20(false); // DOS toggles the gate around every call into its HMA code
        resume(m);
        assertEquals(1, m.reg(Cpu.EAX) & 0xFF);
        m.mem.setA20(true);
        resume(m);
        assertEquals(2, m.reg(Cpu.EAX) & 0xFF);
        assertEquals(misses, m.cpu.blockMisses(), "both mappings' blocks were still decoded");
    }

    private static void resume(TestMachine m) {
        m.cpu.halted = false;
        m.run();
    }

    @Test
    void cachedBlockIsNotReusedWhereTheSixteenBitIpWouldWrapInsideIt() {
        TestMachine m = new TestMachine();
        m.data(0x1FFFE, 0x40, 0x40, 0xF4);     // inc ax; inc ax; hlt (the hlt is at 20000)
        m.data(0x10000, 0xB0, 0x07, 0xF4);     // mov al,7; hlt
        m.cpu.loadSegment(Cpu.CS, 0x1001);     // 1001:FFEE = 1FFFE: runs straight through to the hlt
        m.cpu.eip = 0xFFEE;
        m.run();
        assertEquals(2, m.reg(Cpu.EAX));
        m.cpu.r[Cpu.EAX] = 0;
        m.cpu.halted = false;
        m.cpu.loadSegment(Cpu.CS, 0x1000);     // 1000:FFFE = 1FFFE too, but IP wraps to 1000:0000 after two bytes
        m.cpu.eip = 0xFFFE;
        m.run();
        assertEquals(7, m.reg(Cpu.EAX) & 0xFFFF, "ran inc, inc at FFFE, then mov al,7 at 1000:0000");
    }

    @Test
    void writesRightAfterABlockInTheSameLineKeepIt() {
        // 7100: mov word [710Ch],ax; inc ax; cmp ax,10; jb 7100; 710B: hlt; 710C: data right after the hlt block
        TestMachine m = new TestMachine().code(0xA3, 0x0C, 0x71, 0x40, 0x3D, 10, 0, 0x72, 0xF7, 0xF4, 0x00).run();
        assertEquals(10, m.reg(Cpu.EAX));
        assertEquals(9, m.mem.read16(0x710C));
        assertEquals(2, m.cpu.blockMisses(), "the loop block and the HLT block decode once each");
    }

    @Test
    void writesInsideABlockRetireItEvenWithTheSameValue() {
        // 7100: mov byte [710Ah],0F5h (the jb's own displacement); inc ax; cmp ax,10; 7109: jb 7100; 710B: hlt
        TestMachine m = new TestMachine().code(0xC6, 0x06, 0x0A, 0x71, 0xF5, 0x40, 0x3D, 10, 0, 0x72, 0xF5, 0xF4).run();
        assertEquals(10, m.reg(Cpu.EAX));
        // each pass writes into the running block: it stops after the store, and the rest is decoded anew
        assertEquals(21, m.cpu.blockMisses());
    }

    @Test
    void aWriteRetiresOnlyTheBlockItTouchesInALine() {
        TestMachine m = new TestMachine().code(
                0xE8, 0x1D, 0x00,             // 0100 call 0120
                0xE8, 0x12, 0x00,             // 0103 call 0118
                0xC6, 0x06, 0x23, 0x71, 0x41, // 0106 mov byte [7123h],41h: the third nop of 0120 becomes inc cx
                0xE8, 0x0A, 0x00,             // 010B call 0118
                0xE8, 0x0F, 0x00,             // 010E call 0120
                0xF4,                         // 0111 hlt
                0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
                0x43, 0xC3,                   // 0118 inc bx; ret
                0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
                0x42, 0x90, 0x90, 0x90, 0xC3); // 0120 inc dx; nop; nop; nop; ret
        m.cpu.r[Cpu.EDX] = 0; // reset leaves the processor signature there
        m.run();
        assertEquals(2, m.reg(Cpu.EBX));
        assertEquals(2, m.reg(Cpu.EDX));
        assertEquals(1, m.reg(Cpu.ECX), "the second call ran the new byte");
        // blocks go on across a CALL on their page and back after its RET, once: 0100 (with 0120, then up to the
        // call at 0103), 0118 (that call's callee), 0106 (the mov, the call with 0118, up to the call at 010E),
        // 0120 (its new bytes), 0111. The block at 0106 runs on after its write, as its bytes share a 64-byte line
        // with the written byte but not the byte; the one at 0100 dies.
        assertEquals(5, m.cpu.blockMisses());
    }

    @Test
    void aBlockAcrossAPageBoundaryDiesOnlyFromWritesToItsOwnBytesOnEitherPage() {
        TestMachine m = new TestMachine().data(0x7FFC, 0x40, 0x40, 0x40, 0x40, 0x40, 0xF4); // inc ax x5; hlt
        long[] misses = new long[5];
        int[] writes = {-1, 0x8002, 0x7FFB, 0x8000, 0x7FFC};
        for (int k = 0; k < writes.length; k++) {
            if (writes[k] >= 0) {
                m.mem.write8(writes[k], m.mem.read8(writes[k])); // the same value: it is the write that counts
            }
            m.cpu.r[Cpu.EAX] = 0;
            m.cpu.eip = 0x7FFC - (TestMachine.CODE_SEGMENT << 4);
            m.cpu.halted = false;
            m.run();
            assertEquals(5, m.reg(Cpu.EAX));
            misses[k] = m.cpu.blockMisses();
        }
        assertEquals(1, misses[0], "one block from 7FFCh over 8000h to the hlt");
        assertEquals(1, misses[1], "kept over a write just after it on its second page");
        assertEquals(1, misses[2], "kept over a write just before it on its first page");
        assertTrue(misses[3] > misses[2], "decoded again after a write to its bytes on the second page");
        assertTrue(misses[4] > misses[3], "decoded again after a write to its bytes on the first page");
    }
}
