package dev.strata.emulator.cpu.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.ProtectedModeMachine;
import org.junit.jupiter.api.Test;

/**
 * The decoder reads code bytes from the RAM array through a window on the last page it fetched from: the window
 * follows paging from page to page and starts afresh with each block. Paging by
 * {@link ProtectedModeMachine#withPageTables}: the first 4 MiB identity-mapped, linear 400000h on physical 180000h
 * (its table at 12000h).
 */
class DecoderPageWindowTest {

    private static final int[] ENABLE = ProtectedModeMachine.ENABLE_PAGING;

    private static ProtectedModeMachine machine() {
        return new ProtectedModeMachine().withPageTables();
    }

    /** ENABLE, then a JMP to {@code target} (the code runs at ProtectedModeMachine.CODE32). */
    private static int[] enableAndJumpTo(int target) {
        int next = ProtectedModeMachine.CODE32 + ENABLE.length + 5;
        int rel = target - next;
        int[] code = java.util.Arrays.copyOf(ENABLE, ENABLE.length + 5);
        code[ENABLE.length] = 0xE9;
        for (int k = 0; k < 4; k++) {
            code[ENABLE.length + 1 + k] = (rel >>> (8 * k)) & 0xFF;
        }
        return code;
    }

    private static void load(ProtectedModeMachine p, int physical, int... bytes) {
        for (int k = 0; k < bytes.length; k++) {
            p.m.mem.write8(physical + k, bytes[k]);
        }
    }

    @Test
    void anInstructionAcrossTwoPagesReadsEachFromItsOwnFrame() {
        ProtectedModeMachine p = machine();
        p.m.mem.write32(0x12004, 0x183000 | 7); // linear 401000h on physical 183000h, far from 181000h
        load(p, 0x180FFD, 0xB8, 0x78, 0x56); // mov eax,12345678h from 400FFDh ...
        load(p, 0x183000, 0x34, 0x12, 0xF4); // ... ending on the next page; hlt
        p.code(enableAndJumpTo(0x400FFD)).run();
        assertEquals(-1, p.vector());
        assertEquals(0x12345678, p.reg(Cpu.EAX));
    }

    @Test
    void aBlockDecodedAfterARemapReadsTheNewFrameOfThePageDecodedJustBefore() {
        ProtectedModeMachine p = machine();
        // at 400000h: mov dword [12000h],182007h (the page's own entry: physical 182000h); mov eax,cr3; mov cr3,eax;
        // jmp 400100h. The same bytes in both frames, so the JMP's block, decoded after the remap, starts alike;
        // decoding goes on at the JMP's target on the same page, where the frames differ.
        int[] remap = {0xC7, 0x05, 0x00, 0x20, 0x01, 0x00, 0x07, 0x20, 0x18, 0x00, 0x0F, 0x20, 0xD8, 0x0F, 0x22, 0xD8,
            0xE9, 0xEB, 0x00, 0x00, 0x00};
        load(p, 0x180000, remap);
        load(p, 0x182000, remap);
        load(p, 0x180100, 0xB8, 0x01, 0x00, 0x00, 0x00, 0xF4); // mov eax,1; hlt
        load(p, 0x182100, 0xB8, 0x02, 0x00, 0x00, 0x00, 0xF4); // mov eax,2; hlt
        p.code(enableAndJumpTo(0x400000)).run();
        assertEquals(-1, p.vector());
        assertEquals(0x182007, p.m.mem.read32(0x12000) & ~0x60, "the page's entry, less accessed and dirty");
        assertEquals(2, p.reg(Cpu.EAX), "the instructions of the frame mapped when the block was decoded");
    }
}
