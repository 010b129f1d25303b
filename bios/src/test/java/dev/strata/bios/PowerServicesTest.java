package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import org.junit.jupiter.api.Test;

class PowerServicesTest {

    private final BiosTestPc pc = new BiosTestPc().post();

    private long ticks() {
        return pc.memory.read32(0x46C) & 0xFFFFFFFFL;
    }

    /** Runs {@code code} and returns the virtual time it took in timer ticks; the code must end back in 1000:xxxx. */
    private long ticksTaken(int[] code) {
        long before = ticks();
        pc.runCode(2_000, code);
        assertEquals(0x1000, pc.cpu.seg[Cpu.CS].selector, "the call did not return");
        return ticks() - before;
    }

    @Test
    void apmInstallationCheckReportsVersion12WithOnlyTheRealModeInterface() {
        pc.runCode(1000, new Code().ax(0x5300).bx(0x0000).intr(0x15).hlt().build());
        assertFalse(pc.carry());
        assertEquals(0x0102, pc.ax());
        assertEquals(0x504D, pc.cpu.r[Cpu.EBX] & 0xFFFF);
        assertEquals(0x0000, pc.cpu.r[Cpu.ECX] & 0xFFFF);
    }

    @Test
    void apmConnectTwiceIsAnErrorAndDisconnectFrees() {
        pc.runCode(1000, new Code().ax(0x5301).bx(0).intr(0x15).hlt().build());
        assertFalse(pc.carry());
        pc.runCode(1000, new Code().ax(0x5301).bx(0).intr(0x15).hlt().build());
        assertTrue(pc.carry());
        assertEquals(0x02, pc.ax() >> 8);
        pc.runCode(1000, new Code().ax(0x5304).bx(0).intr(0x15).hlt().build());
        assertFalse(pc.carry());
        pc.runCode(1000, new Code().ax(0x5303).bx(0).intr(0x15).hlt().build());
        assertTrue(pc.carry());
        assertEquals(0x08, pc.ax() >> 8); // no 32-bit protected-mode interface
    }

    @Test
    void apmCpuIdleReturnsAfterTheNextInterrupt() {
        assertEquals(1, ticksTaken(Code.call(0x15, 0x5305)));
        assertFalse(pc.carry());
    }

    @Test
    void releaseTimeSliceWaitsForTheNextInterruptAndSaysSupported() {
        assertEquals(1, ticksTaken(Code.call(0x2F, 0x1680)));
        assertEquals(0x00, pc.ax() & 0xFF);
    }

    @Test
    void otherMultiplexCallsReturnUntouchedAtOnce() {
        assertEquals(0, ticksTaken(Code.call(0x2F, 0x1600)));
        assertEquals(0x1600, pc.ax());
    }

    @Test
    void idleCallsDoNotWaitWhenTheTimerInterruptIsMasked() {
        // IN AL,21h; OR AL,01h; OUT 21h,AL; then INT 2Fh AX=1680h; HLT
        int[] code = new Code().b(0xE4, 0x21, 0x0C, 0x01, 0xE6, 0x21).ax(0x1680).intr(0x2F).hlt().build();
        assertEquals(0, ticksTaken(code));
        assertEquals(0x00, pc.ax() & 0xFF);
    }
}
