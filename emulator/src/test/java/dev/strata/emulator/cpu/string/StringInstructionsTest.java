package dev.strata.emulator.cpu.string;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.TestMachine;
import dev.strata.emulator.io.IoPortHandler;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class StringInstructionsTest {

    @Test
    void repMovsbHonoursSegmentOverrideOnTheSource() {
        TestMachine m = new TestMachine().data(0x20010, 'A', 'B', 'C', 'D');
        m.cpu.loadSegment(Cpu.DS, 0x1000);
        m.cpu.loadSegment(Cpu.ES, 0x2000);
        // mov si,10h; mov di,20h; mov cx,4; es: rep movsb
        m.code(0xBE, 0x10, 0, 0xBF, 0x20, 0, 0xB9, 4, 0, 0x26, 0xF3, 0xA4, 0xF4).run();
        assertEquals(0x44434241, m.mem.read32(0x20020));
        assertEquals(0, m.mem.read32(0x10020), "DS must not be the destination");
        assertEquals(0, m.reg(Cpu.ECX) & 0xFFFF);
        assertEquals(0x14, m.reg(Cpu.ESI) & 0xFFFF);
        assertEquals(0x24, m.reg(Cpu.EDI) & 0xFFFF);
    }

    @Test
    void repeCmpsbStopsAfterTheFirstDifference() {
        TestMachine m = new TestMachine().data(0x1000, 'A', 'B', 'C', 'X').data(0x2000, 'A', 'B', 'C', 'D');
        // mov si,1000h; mov di,2000h; mov cx,10; repe cmpsb
        m.code(0xBE, 0, 0x10, 0xBF, 0, 0x20, 0xB9, 10, 0, 0xF3, 0xA6, 0xF4).run();
        assertEquals(6, m.reg(Cpu.ECX) & 0xFFFF);
        assertEquals(0x1004, m.reg(Cpu.ESI) & 0xFFFF);
        assertFalse(m.flag(Flags.ZF));
    }

    @Test
    void repneScasbFindsTheByte() {
        TestMachine m = new TestMachine().data(0x3000, 'h', 'e', 'l', 'l', 'o');
        // mov di,3000h; mov cx,5; mov al,'l'; repne scasb
        m.code(0xBF, 0, 0x30, 0xB9, 5, 0, 0xB0, 'l', 0xF2, 0xAE, 0xF4).run();
        assertEquals(0x3003, m.reg(Cpu.EDI) & 0xFFFF);
        assertEquals(2, m.reg(Cpu.ECX) & 0xFFFF);
        assertTrue(m.flag(Flags.ZF));
    }

    @Test
    void stosWithDirectionFlagGoesDown() {
        // std; mov di,3010h; mov cx,3; mov ax,BEEFh; rep stosw
        TestMachine m = new TestMachine().code(0xFD, 0xBF, 0x10, 0x30, 0xB9, 3, 0, 0xB8, 0xEF, 0xBE, 0xF3, 0xAB, 0xF4).run();
        assertEquals(0xBEEF, m.mem.read16(0x3010));
        assertEquals(0xBEEF, m.mem.read16(0x300E));
        assertEquals(0xBEEF, m.mem.read16(0x300C));
        assertEquals(0, m.mem.read16(0x300A));
        assertEquals(0x300A, m.reg(Cpu.EDI) & 0xFFFF);
    }

    @Test
    void repMovsdCopiesDwords() {
        TestMachine m = new TestMachine().data(0x1000, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        // mov si,1000h; mov di,2000h; mov cx,2; rep movsd
        m.code(0xBE, 0, 0x10, 0xBF, 0, 0x20, 0xB9, 2, 0, 0x66, 0xF3, 0xA5, 0xF4).run();
        assertEquals(0x04030201, m.mem.read32(0x2000));
        assertEquals(0x08070605, m.mem.read32(0x2004));
        assertEquals(0, m.mem.read8(0x2008));
        assertEquals(0x2008, m.reg(Cpu.EDI) & 0xFFFF);
    }

    @Test
    void repOutsbWritesEachByteToThePort() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TestMachine m = new TestMachine().data(0x1000, 'o', 'k', '!');
        m.io.register("test port", 0x300, 1, new IoPortHandler() {
            @Override
            public int in(int port, int size) {
                return 0;
            }

            @Override
            public void out(int port, int size, int value) {
                out.write(value);
            }
        });
        // mov si,1000h; mov dx,300h; mov cx,3; rep outsb
        m.code(0xBE, 0, 0x10, 0xBA, 0, 3, 0xB9, 3, 0, 0xF3, 0x6E, 0xF4).run();
        assertArrayEquals(new byte[] {'o', 'k', '!'}, out.toByteArray());
    }

    @Test
    void repWithZeroCountDoesNothing() {
        TestMachine m = new TestMachine().data(0x1000, 9);
        m.code(0xBE, 0, 0x10, 0xBF, 0, 0x20, 0x31, 0xC9, 0xF3, 0xA4, 0xF4).run(); // cx=0; rep movsb
        assertEquals(0, m.mem.read8(0x2000));
        assertEquals(0x1000, m.reg(Cpu.ESI) & 0xFFFF);
    }

    @Test
    void overlappingForwardMoveReplicatesLikeTheHardware() {
        TestMachine m = new TestMachine().data(0x1000, 'x', 0, 0, 0, 0);
        // mov si,1000h; mov di,1001h; mov cx,4; rep movsb -> xxxxx
        m.code(0xBE, 0, 0x10, 0xBF, 1, 0x10, 0xB9, 4, 0, 0xF3, 0xA4, 0xF4).run();
        for (int k = 0; k < 5; k++) {
            assertEquals('x', m.mem.read8(0x1000 + k));
        }
    }

    @Test
    void longMoveAcrossPagesCopiesEverything() {
        TestMachine m = new TestMachine();
        for (int k = 0; k < 10000; k++) {
            m.mem.write8(0x10000 + k, k * 7);
        }
        m.cpu.loadSegment(Cpu.DS, 0x1000);
        m.cpu.loadSegment(Cpu.ES, 0x3000);
        // mov si,0; mov di,0FFEh; mov cx,2500; rep movsd
        m.code(0xBE, 0, 0, 0xBF, 0xFE, 0x0F, 0xB9, 0xC4, 0x09, 0x66, 0xF3, 0xA5, 0xF4).run();
        for (int k = 0; k < 10000; k++) {
            assertEquals((k * 7) & 0xFF, m.mem.read8(0x30FFE + k), "byte " + k);
        }
        assertEquals(0, m.reg(Cpu.ECX));
        assertEquals(10000, m.reg(Cpu.ESI));
    }

    @Test
    void moveRunningPastOffsetFfffFaultsWithRegistersAtTheFaultingElement() {
        TestMachine m = new TestMachine();
        // mov si,0FFF1h; mov di,0; mov cx,10h; rep movsw -> the 8th word straddles FFFF
        m.code(0xBE, 0xF1, 0xFF, 0xBF, 0, 0, 0xB9, 0x10, 0, 0xF3, 0xA5, 0xF4).run();
        assertEquals(13, m.vector());
        assertEquals(0xFFFF, m.reg(Cpu.ESI));
        assertEquals(0x10 - 7, m.reg(Cpu.ECX));
    }

    @Test
    void longRepStopsBetweenChunksSoInterruptsCanBeTaken() {
        // ES=2000h; mov di,1000h; mov cx,0F000h; mov al,55h; rep stosb; hlt
        TestMachine m = new TestMachine().code(0xBF, 0x00, 0x10, 0xB9, 0x00, 0xF0, 0xB0, 0x55, 0xF3, 0xAA, 0xF4);
        m.cpu.loadSegment(Cpu.ES, 0x2000);
        m.cpu.run(4); // three moves and the first chunk of the repetition
        int left = m.reg(Cpu.ECX);
        assertTrue(left > 0 && left < 0xF000, "stopped part way: " + left);
        assertEquals(0x108, m.cpu.eip, "EIP stays on the REP instruction");
        m.run();
        assertEquals(0, m.reg(Cpu.ECX));
        assertEquals(0x55, m.mem.read8(0x2FFFF));
        assertEquals(0x55, m.mem.read8(0x21000));
        assertEquals(0, m.mem.read8(0x20FFF));
    }

    @Test
    void repStoswFillsAcrossPagesAndStopsAtTheCount() {
        TestMachine m = new TestMachine();
        m.cpu.loadSegment(Cpu.ES, 0x3000);
        // mov di,0FF0h; mov cx,3000; mov ax,1234h; rep stosw
        m.code(0xBF, 0xF0, 0x0F, 0xB9, 0xB8, 0x0B, 0xB8, 0x34, 0x12, 0xF3, 0xAB, 0xF4).run();
        for (int k = 0; k < 3000; k++) {
            assertEquals(0x1234, m.mem.read16(0x30FF0 + 2 * k), "word " + k);
        }
        assertEquals(0, m.mem.read16(0x30FF0 + 6000));
        assertEquals(0x0FF0 + 6000, m.reg(Cpu.EDI) & 0xFFFF);
    }

    @Test
    void repStosdOverCodeIsSeen() {
        TestMachine m = new TestMachine().code(
                0xBF, 0x20, 0x71,                   // 0100 mov di,7120h
                0x66, 0xB8, 0x40, 0x40, 0x40, 0x40, // 0103 mov eax,40404040h (four times inc ax)
                0xB9, 0x01, 0x00,                   // 0109 mov cx,1
                0x66, 0xF3, 0xAB,                   // 010C rep stosd
                0xEB, 0x0F);                        // 010F jmp 0120
        m.data(0x7120, 0x90, 0x90, 0x90, 0x90, 0xF4); // 0120: nop x4; hlt
        m.cpu.eip = 0x120;
        m.run(); // decode the nops once, so a stale block exists
        m.cpu.halted = false;
        m.cpu.eip = 0x100;
        m.run();
        assertEquals(0x40404044, m.reg(Cpu.EAX));
    }
}
