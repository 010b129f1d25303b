package dev.strata.emulator.cpu.conformance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class I386DifferencesTest {
    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    @Test
    void lockOnALockableMemoryDestinationRuns() {
        assertFalse(I386Differences.lockInvalid(b(0xF0, 0x00, 0x07, 0xF4)));       // lock add [bx],al
        assertFalse(I386Differences.lockInvalid(b(0xF0, 0xFE, 0x07, 0xF4)));       // lock inc byte [bx]
        assertFalse(I386Differences.lockInvalid(b(0x26, 0xF0, 0x87, 0x47, 0x02))); // es lock xchg [bx+2],ax
    }

    @Test
    void lockOnARegisterDestinationOrUnlockableInstructionIsInvalid() {
        assertTrue(I386Differences.lockInvalid(b(0xF0, 0x00, 0xC0, 0xF4)));       // lock add al,al
        assertTrue(I386Differences.lockInvalid(b(0xF0, 0x90, 0xF4)));             // lock nop
        assertTrue(I386Differences.lockInvalid(b(0xF0, 0x80, 0x3F, 0x01)));       // lock cmp byte [bx],1
        assertTrue(I386Differences.lockInvalid(b(0xF0, 0x02, 0x07)));             // lock add al,[bx]
    }

    @Test
    void instructionsWithoutLockAreNotSelected() {
        assertFalse(I386Differences.lockInvalid(b(0x00, 0xC0, 0xF4)));
    }

    @Test
    void stackRelativeOverrunsDiffer() {
        assertTrue(I386Differences.overrunDiffers(b(0x8B, 0x46, 0x00)));  // mov ax,[bp+0]
        assertTrue(I386Differences.overrunDiffers(b(0x36, 0x8B, 0x07)));  // mov ax,ss:[bx]
        assertTrue(I386Differences.overrunDiffers(b(0x50)));              // push ax
        assertTrue(I386Differences.overrunDiffers(b(0xFF, 0x37)));        // push word [bx]
    }

    @Test
    void dataSegmentOverrunsBehaveAlike() {
        assertFalse(I386Differences.overrunDiffers(b(0x8B, 0x07)));       // mov ax,[bx]
        assertFalse(I386Differences.overrunDiffers(b(0x3E, 0x8B, 0x46, 0x00))); // mov ax,ds:[bp+0]
        assertFalse(I386Differences.overrunDiffers(b(0x8B, 0x06, 0xFF, 0xFF))); // mov ax,[0xffff]
    }

    @Test
    void stringInstructionsAndOverlongInstructionsDiffer() {
        assertTrue(I386Differences.overrunDiffers(b(0xA5)));              // movsw
        assertTrue(I386Differences.overrunDiffers(b(0xF3, 0xAB)));        // rep stosw
        assertTrue(I386Differences.overrunDiffers(b(0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x8B, 0x07)));
    }
}
