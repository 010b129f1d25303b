package dev.strata.emulator.cpu.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.TestMachine;
import org.junit.jupiter.api.Test;

/** 32-bit addressing forms (0x67) in real mode: SIB, scale, no-base disp32, and the SS default for EBP/ESP. */
class AddressingTest {

    /** A machine with DS = 1000h and SS = 2000h so the segment a form uses shows in the value read. */
    private static TestMachine machine() {
        TestMachine m = new TestMachine();
        m.cpu.loadSegment(Cpu.DS, 0x1000);
        m.cpu.loadSegment(Cpu.SS, 0x2000);
        m.cpu.r[Cpu.ESP] = 0x0100;
        m.mem.write16(0x10100, 0xD5D5); // DS:0100
        m.mem.write16(0x20100, 0x5555); // SS:0100
        return m;
    }

    @Test
    void sibWithScaleEight() {
        TestMachine m = machine();
        m.cpu.r[Cpu.ESI] = 0x20;
        m.cpu.r[Cpu.EDI] = 0x1C;
        m.code(0x67, 0x8B, 0x04, 0xFE, 0xF4).run(); // mov ax,[esi+edi*8] = 20h + E0h = 100h
        assertEquals(0xD5D5, m.reg(Cpu.EAX));
    }

    @Test
    void ebpBaseDefaultsToTheStackSegment() {
        TestMachine m = machine();
        m.cpu.r[Cpu.EBP] = 0xF0;
        m.code(0x67, 0x8B, 0x45, 0x10, 0xF4).run(); // mov ax,[ebp+10h]
        assertEquals(0x5555, m.reg(Cpu.EAX));
    }

    @Test
    void espBaseThroughSibDefaultsToTheStackSegment() {
        TestMachine m = machine();
        m.code(0x67, 0x8B, 0x04, 0x24, 0xF4).run(); // mov ax,[esp]
        assertEquals(0x5555, m.reg(Cpu.EAX));
    }

    @Test
    void sibWithoutBaseTakesDisp32AndDataSegment() {
        TestMachine m = machine();
        m.cpu.r[Cpu.EBP] = 0x40;
        m.code(0x67, 0x8B, 0x04, 0x6D, 0x80, 0, 0, 0, 0xF4).run(); // mov ax,[ebp*2+80h]: no base, DS
        assertEquals(0xD5D5, m.reg(Cpu.EAX));
    }

    @Test
    void indexFourMeansNoIndex() {
        TestMachine m = machine();
        m.cpu.r[Cpu.EBX] = 0x100;
        m.code(0x67, 0x8B, 0x04, 0xE3, 0xF4).run(); // SIB index=100 (none), base=EBX, scale 8 ignored
        assertEquals(0xD5D5, m.reg(Cpu.EAX));
    }

    @Test
    void plainDisp32() {
        TestMachine m = machine();
        m.code(0x67, 0x8B, 0x05, 0x00, 0x01, 0, 0, 0xF4).run(); // mov ax,[00000100h]
        assertEquals(0xD5D5, m.reg(Cpu.EAX));
    }

    @Test
    void segmentOverrideBeatsTheStackDefault() {
        TestMachine m = machine();
        m.cpu.r[Cpu.EBP] = 0x100;
        m.code(0x3E, 0x67, 0x8B, 0x45, 0x00, 0xF4).run(); // mov ax,ds:[ebp+0]
        assertEquals(0xD5D5, m.reg(Cpu.EAX));
    }

    @Test
    void sixteenBitBpFormsUseTheStackSegment() {
        TestMachine m = machine();
        m.cpu.r[Cpu.EBP] = 0x80;
        m.cpu.r[Cpu.ESI] = 0x80;
        m.code(0x8B, 0x02, 0xF4).run(); // mov ax,[bp+si]
        assertEquals(0x5555, m.reg(Cpu.EAX));
    }
}
