package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.strata.emulator.cpu.Cpu;
import org.junit.jupiter.api.Test;

class TimeServicesTest {

    private final BiosTestPc pc = new BiosTestPc().post();

    private void waitTicks(int n) {
        Code code = new Code().sti();
        for (int i = 0; i < n; i++) {
            code.hlt();
        }
        pc.runCode(100_000, code.cli().hlt().build());
    }

    @Test
    void timerInterruptCountsTicks() {
        int before = pc.memory.read32(0x46C);
        waitTicks(5);
        assertEquals(before + 5, pc.memory.read32(0x46C));
    }

    @Test
    void midnightRollsTheCountOverAndInt1AReportsItOnce() {
        pc.memory.write32(0x46C, BiosDataArea.TICKS_PER_DAY - 1);
        waitTicks(1);
        pc.runCode(100, Code.call(0x1A, 0x0000));
        assertEquals(1, pc.ax() & 0xFF);
        assertEquals(0, pc.cpu.r[Cpu.ECX] & 0xFFFF);
        assertEquals(0, pc.cpu.r[Cpu.EDX] & 0xFFFF);
        pc.runCode(100, Code.call(0x1A, 0x0000));
        assertEquals(0, pc.ax() & 0xFF);
    }

    @Test
    void setTicks() {
        pc.runCode(100, new Code().ax(0x0100).cx(0x0012).dx(0x3456).intr(0x1A).ax(0x0000).intr(0x1A).hlt().build());
        assertEquals(0x0012, pc.cpu.r[Cpu.ECX] & 0xFFFF);
        assertEquals(0x3456, pc.cpu.r[Cpu.EDX] & 0xFFFF);
    }

    @Test
    void userTimerHookRunsEveryTick() {
        // INT 1Ch at 2000:0000: INC WORD [CS:0010h]; IRET
        pc.memory.load(0x20000, new byte[] {0x2E, (byte) 0xFF, 0x06, 0x10, 0x00, (byte) 0xCF});
        pc.memory.write16(0x1C * 4, 0);
        pc.memory.write16(0x1C * 4 + 2, 0x2000);
        waitTicks(3);
        assertEquals(3, pc.memory.read16(0x20010));
    }

    @Test
    void rtcTimeAndDateInBcd() {
        pc.runCode(100, Code.call(0x1A, 0x0200));
        assertFalse(pc.carry());
        assertEquals(0x06, pc.cpu.r[Cpu.ECX] >> 8 & 0xFF);
        assertEquals(0x30, pc.cpu.r[Cpu.ECX] & 0xFF);
        pc.runCode(100, Code.call(0x1A, 0x0400));
        assertEquals(0x2026, pc.cpu.r[Cpu.ECX] & 0xFFFF);
        assertEquals(0x1121, pc.cpu.r[Cpu.EDX] & 0xFFFF);
    }

    @Test
    void setRtcDate() {
        pc.runCode(100, new Code().ax(0x0500).cx(0x1999).dx(0x1231).intr(0x1A).ax(0x0400).intr(0x1A).hlt().build());
        assertEquals(0x1999, pc.cpu.r[Cpu.ECX] & 0xFFFF);
        assertEquals(0x1231, pc.cpu.r[Cpu.EDX] & 0xFFFF);
    }
}
