package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.device.keyboard.Key;
import org.junit.jupiter.api.Test;

class KeyboardServicesTest {

    private final BiosTestPc pc = new BiosTestPc().post();

    /** Lets the guest idle with interrupts on so IRQ 1 reaches INT 09h. */
    private void idle() {
        pc.runCode(10_000, new Code().sti().hlt().hlt().hlt().cli().hlt().build());
    }

    private void type(Key key) {
        pc.kbc.keyboard().press(key);
        idle();
        pc.kbc.keyboard().release(key);
        idle();
    }

    @Test
    void keyPressReachesInt16ThroughIrq1() {
        type(Key.A);
        pc.runCode(1000, Code.call(0x16, 0x0000));
        assertEquals(0x1E61, pc.ax());
    }

    @Test
    void shiftAndCapsLockChangeLetters() {
        pc.kbc.keyboard().press(Key.LEFT_SHIFT);
        idle();
        type(Key.B);
        pc.runCode(1000, Code.call(0x16, 0x0200));
        assertEquals(0x02, pc.ax() & 0xFF);
        pc.kbc.keyboard().release(Key.LEFT_SHIFT);
        idle();
        type(Key.CAPS_LOCK);
        type(Key.C);
        pc.runCode(1000, Code.call(0x16, 0x0000));
        assertEquals(0x3042, pc.ax());
        pc.runCode(1000, Code.call(0x16, 0x0000));
        assertEquals(0x2E43, pc.ax());
        assertEquals(0x40, pc.memory.read8(0x417) & 0x40);
        assertEquals(0x04, pc.kbc.keyboard().leds());
    }

    @Test
    void readWaitsInHaltUntilAKeyArrives() {
        long ticksBefore = pc.memory.read32(0x46C);
        pc.runCode(5_000, Code.call(0x16, 0x0000));
        assertEquals(0xF000, pc.cpu.seg[Cpu.CS].selector); // waiting inside the INT 16h stub
        assertTrue(pc.memory.read32(0x46C) > ticksBefore + 10); // the timer ran while it waited
        pc.kbc.keyboard().press(Key.DIGIT_7);
        pc.run(5_000);
        assertEquals(0x0837, pc.ax());
        assertEquals(0x1000, pc.cpu.seg[Cpu.CS].selector); // back in the caller
    }

    @Test
    void checkReportsEmptyBufferInZeroFlag() {
        pc.runCode(1000, Code.call(0x16, 0x0100));
        assertTrue(pc.zero());
        type(Key.ENTER);
        pc.runCode(1000, Code.call(0x16, 0x0100));
        assertFalse(pc.zero());
        assertEquals(0x1C0D, pc.ax());
        pc.runCode(1000, Code.call(0x16, 0x0100));
        assertFalse(pc.zero()); // still there: 01h does not remove it
    }

    @Test
    void extendedKeysKeepE0OnlyForExtendedReads() {
        type(Key.UP);
        type(Key.UP);
        pc.runCode(1000, Code.call(0x16, 0x1000));
        assertEquals(0x48E0, pc.ax());
        pc.runCode(1000, Code.call(0x16, 0x0000));
        assertEquals(0x4800, pc.ax());
    }

    @Test
    void storeKeystrokePutsAWordInTheBuffer() {
        pc.runCode(1000, new Code().ax(0x0500).cx(0x1234).intr(0x16).ax(0x0000).intr(0x16).hlt().build());
        assertEquals(0x1234, pc.ax());
    }

    @Test
    void controlAltDeleteResetsTheMachine() {
        pc.kbc.keyboard().press(Key.LEFT_CTRL);
        idle();
        pc.kbc.keyboard().press(Key.LEFT_ALT);
        idle();
        pc.kbc.keyboard().press(Key.DELETE);
        idle();
        assertTrue(pc.machine.resetRequested());
        assertEquals(0x1234, pc.memory.read16(0x472));
    }

    @Test
    void interceptHookCanSwallowAKey() {
        // INT 15h handler at 2000:0000: CLC; RETF 2 (AH=4Fh returning CF clear: the key is dropped).
        pc.memory.write8(0x20000, 0xF8);
        pc.memory.write8(0x20001, 0xCA);
        pc.memory.write16(0x20002, 0x0002);
        pc.memory.write16(0x15 * 4, 0x0000);
        pc.memory.write16(0x15 * 4 + 2, 0x2000);
        type(Key.X);
        pc.runCode(1000, Code.call(0x16, 0x0100));
        assertTrue(pc.zero());
    }

    @Test
    void controlBreakCallsInt1bAndLeavesAZeroWord() {
        // INT 1Bh at 2000:0000: INC BYTE [CS:0010h]; IRET
        pc.memory.load(0x20000, new byte[] {0x2E, (byte) 0xFE, 0x06, 0x10, 0x00, (byte) 0xCF});
        pc.memory.write16(0x1B * 4, 0);
        pc.memory.write16(0x1B * 4 + 2, 0x2000);
        type(Key.A);
        pc.kbc.keyboard().press(Key.LEFT_CTRL);
        idle();
        type(Key.PAUSE);
        assertEquals(0, pc.memory.read8(0x20010)); // Ctrl-Pause (E1 1D 45 ...) is not Ctrl-Break
        pc.kbc.keyboard().sendSet2Codes(0xE0, 0x7E, 0xE0, 0xF0, 0x7E); // the Break key: Ctrl + E0 46
        idle();
        assertEquals(1, pc.memory.read8(0x20010));
        assertEquals(0x80, pc.memory.read8(0x471));
        pc.runCode(1000, Code.call(0x16, 0x0000));
        assertEquals(0x0000, pc.ax());
        pc.runCode(1000, Code.call(0x16, 0x0100));
        assertTrue(pc.zero());
        assertEquals(0, pc.memory.read8(0x417) & 0x20); // Num Lock untouched by the Pause sequence
    }

    @Test
    void typematicRateGoesToTheKeyboard() {
        pc.runCode(10_000, new Code().ax(0x0305).bx(0x010C).intr(0x16).sti().hlt().cli().hlt().build());
        assertEquals(0x2C, pc.kbc.keyboard().typematic());
        pc.runCode(1000, Code.call(0x16, 0x0100));
        assertTrue(pc.zero()); // the keyboard's acknowledgements are not keys
    }
    /** MOV AH,01h; INT 16h; JZ back to the MOV; HLT: a DOS prompt's busy wait for a key, without the DOS. */
    private static final int[] POLL_UNTIL_KEY = {0xB4, 0x01, 0xCD, 0x16, 0x74, 0xFA, 0xF4};

    private long ticks() {
        return pc.memory.read32(0x46C) & 0xFFFFFFFFL;
    }

    @Test
    void aStormOfEmptyStatusPollsEndsWaitingForTheNextInterrupt() {
        long ticksBefore = ticks();
        pc.runCode(5_000, POLL_UNTIL_KEY);
        assertEquals(0xF000, pc.cpu.seg[Cpu.CS].selector); // halted inside the INT 16h stub, not polling
        assertTrue(pc.cpu.halted);
        // 5,000 instructions of busy polling would take 50 µs; waiting, they span many timer ticks of 55 ms
        assertTrue(ticks() > ticksBefore + 10, "ticks " + (ticks() - ticksBefore));
    }

    @Test
    void aKeyWakesAWaitingPollAtOnce() {
        pc.runCode(5_000, POLL_UNTIL_KEY);
        long ticksBefore = ticks();
        long instructionsBefore = pc.cpu.instructions;
        pc.kbc.keyboard().press(Key.DIGIT_7);
        pc.run(2_000);
        assertEquals(0x1000, pc.cpu.seg[Cpu.CS].selector); // back in the caller, at its HLT
        assertFalse(pc.zero());
        assertEquals(0x0837, pc.ax());
        assertEquals(ticksBefore, ticks()); // before the next timer tick
        assertTrue(pc.cpu.instructions - instructionsBefore < 200, "" + (pc.cpu.instructions - instructionsBefore));
    }

    @Test
    void pollsBetweenRealWorkAreAnsweredAtOnce() {
        // 100 times: MOV AH,01h; INT 16h; MOV CX,3000; LOOP $; DEC BX; JNZ; then HLT: about 3 ms of work in all
        int[] code = {0xBB, 100, 0x00, 0xB4, 0x01, 0xCD, 0x16, 0xB9, 0xB8, 0x0B, 0xE2, 0xFE, 0x4B, 0x75, 0xF4, 0xF4};
        long ticksBefore = ticks();
        pc.runCode(400_000, code);
        assertEquals(0x1000, pc.cpu.seg[Cpu.CS].selector);
        assertEquals(0, pc.cpu.r[Cpu.EBX] & 0xFFFF); // all 100 polls done
        assertTrue(ticks() <= ticksBefore + 1, "ticks " + (ticks() - ticksBefore)); // no wait for a tick per poll
    }
    @Test
    void pollsWithOtherBiosWorkBetweenThemAreAnsweredAtOnce() {
        // 200 times: MOV AH,01h; INT 16h; INT 11h (any other service: DOS prints or reads between its polls); DEC BX
        int[] code = {0xBB, 200, 0x00, 0xB4, 0x01, 0xCD, 0x16, 0xCD, 0x11, 0x4B, 0x75, 0xF7, 0xF4};
        long ticksBefore = ticks();
        pc.runCode(20_000, code);
        assertEquals(0x1000, pc.cpu.seg[Cpu.CS].selector);
        assertEquals(0, pc.cpu.r[Cpu.EBX] & 0xFFFF);
        assertTrue(ticks() <= ticksBefore + 1, "ticks " + (ticks() - ticksBefore));
    }

    @Test
    void int16hCallsAreTheGuestReadingTheKeyboardButThePostAndA20SwitchingAreNot() {
        try (BiosTestPc fresh = new BiosTestPc()) {
            int[] reads = {0};
            fresh.kbc.setKeyboardReadListener(() -> reads[0]++);
            fresh.post();
            assertEquals(0, reads[0], "the POST empties its own controller replies");
            fresh.runCode(100, Code.call(0x15, 0x2401));
            assertTrue(fresh.kbc.a20Enabled());
            assertEquals(0, reads[0], "INT 15h reads the controller's output port to switch A20, not a key");
            fresh.runCode(1000, Code.call(0x16, 0x0100));
            assertEquals(1, reads[0], "INT 16h AH=01h");
            fresh.runCode(1000, Code.call(0x16, 0x0200));
            assertEquals(2, reads[0], "INT 16h AH=02h");
        }
    }
}
