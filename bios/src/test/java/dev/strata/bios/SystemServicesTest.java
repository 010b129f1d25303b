package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import org.junit.jupiter.api.Test;

class SystemServicesTest {

    private final BiosTestPc pc = new BiosTestPc().post();

    @Test
    void equipmentAndConventionalMemory() {
        pc.runCode(100, Code.call(0x11, 0));
        assertEquals(pc.memory.read16(0x410), pc.ax());
        pc.runCode(100, Code.call(0x12, 0));
        assertEquals(639, pc.ax());
    }

    @Test
    void extendedMemorySizes() {
        pc.runCode(100, Code.call(0x15, 0x8800));
        assertEquals(3072, pc.ax());
        assertFalse(pc.carry());
        pc.runCode(100, Code.call(0x15, 0xE801));
        assertEquals(3072, pc.ax());
        assertEquals(3072, pc.cpu.r[Cpu.ECX] & 0xFFFF);
        assertEquals(0, pc.cpu.r[Cpu.EBX] & 0xFFFF);
    }

    @Test
    void e820ListsTheMemoryMap() {
        long[][] expected = {{0, 0x9FC00, 1}, {0x9FC00, 0x400, 2}, {0xF0000, 0x10000, 2},
            {0x100000, BiosTestPc.RAM - 0x100000, 1}, {0xFFFF0000L, 0x10000, 2}};
        int continuation = 0;
        for (int i = 0; i < expected.length; i++) {
            pc.cpu.r[Cpu.EDX] = SystemServices.SMAP;
            pc.cpu.r[Cpu.EBX] = continuation;
            pc.cpu.r[Cpu.ECX] = 20;
            pc.cpu.r[Cpu.EAX] = 0xE820;
            pc.runCode(100, new Code().b(0x66, 0xB8, 0x20, 0xE8, 0, 0).di(0x0500).b(0x31, 0xC0).esFromAx()
                    .b(0x66, 0xB8, 0x20, 0xE8, 0, 0).intr(0x15).hlt().build());
            assertFalse(pc.carry());
            assertEquals(SystemServices.SMAP, pc.cpu.r[Cpu.EAX]);
            assertEquals(expected[i][0], pc.memory.read64(0x500));
            assertEquals(expected[i][1], pc.memory.read64(0x508));
            assertEquals(expected[i][2], pc.memory.read32(0x510));
            continuation = pc.cpu.r[Cpu.EBX];
        }
        assertEquals(0, continuation);
    }

    @Test
    void configurationTable() {
        pc.runCode(100, Code.call(0x15, 0xC000));
        assertFalse(pc.carry());
        int table = BiosCall.real(pc.cpu.seg[Cpu.ES].selector, pc.cpu.r[Cpu.EBX]);
        assertEquals(8, pc.memory.read16(table));
        assertEquals(0xFC, pc.memory.read8(table + 2));
    }

    @Test
    void blockMoveCopiesToExtendedMemory() {
        for (int i = 0; i < 16; i++) {
            pc.memory.write8(0x21000 + i, i + 1);
        }
        int gdt = 0x20000;
        pc.memory.write16(gdt + 0x10, 0xFFFF);
        pc.memory.write16(gdt + 0x12, 0x1000);
        pc.memory.write8(gdt + 0x14, 0x02);
        pc.memory.write8(gdt + 0x15, 0x93);
        pc.memory.write16(gdt + 0x18, 0xFFFF);
        pc.memory.write16(gdt + 0x1A, 0x0000);
        pc.memory.write8(gdt + 0x1C, 0x20);
        pc.memory.write8(gdt + 0x1D, 0x93);
        pc.runCode(100, new Code().ax(0x2000).esFromAx().si(0).cx(8).ax(0x8700).intr(0x15).hlt().build());
        assertFalse(pc.carry());
        assertEquals(0, pc.ax() >> 8);
        for (int i = 0; i < 16; i++) {
            assertEquals(i + 1, pc.memory.read8(0x200000 + i));
        }
    }

    @Test
    void a20GateThroughTheKeyboardController() {
        pc.runCode(100, Code.call(0x15, 0x2401));
        assertTrue(pc.kbc.a20Enabled());
        assertTrue(pc.memory.a20());
        pc.runCode(100, Code.call(0x15, 0x2402));
        assertEquals(1, pc.ax() & 0xFF);
        pc.runCode(100, Code.call(0x15, 0x2400));
        assertFalse(pc.kbc.a20Enabled());
        assertFalse(pc.memory.a20());
        assertFalse(pc.machine.resetRequested()); // the output port write kept the reset line inactive
    }

    @Test
    void waitLetsVirtualTimePass() {
        long before = pc.machine.clock().nanos();
        pc.runCode(1_000_000, new Code().ax(0x8600).cx(0x0003).dx(0x0D40).intr(0x15).hlt().build()); // 200 000 us
        assertFalse(pc.carry());
        assertTrue(pc.machine.clock().nanos() - before >= 200_000_000L);
        assertTrue(pc.cpu.halted);
        assertEquals(0x1000, pc.cpu.seg[Cpu.CS].selector);
    }

    @Test
    void unsupportedFunctionsSetCarry() {
        pc.runCode(100, Code.call(0x15, 0xC300)); // the watchdog timer of PS/2 machines
        assertTrue(pc.carry());
        assertEquals(0x86, pc.ax() >> 8);
    }

    @Test
    void printerIsNotPresent() {
        pc.runCode(100, new Code().ax(0x0200).dx(0).intr(0x17).hlt().build());
        assertEquals(0x01, pc.ax() >> 8 & 0x01);
    }
}
