package dev.strata.emulator.cpu.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.ProtectedModeMachine;
import org.junit.jupiter.api.Test;

/**
 * Two-level paging from flat protected mode. The page directory at 10000h identity-maps the first 4 MiB (table
 * at 11000h) and maps linear 400000h to physical 180000h (writable), 401000h not present, 402000h to 181000h
 * read-only (table at 12000h).
 */
class PagingTest {

    private static final int[] ENABLE = ProtectedModeMachine.ENABLE_PAGING;

    private static ProtectedModeMachine machine() {
        ProtectedModeMachine p = new ProtectedModeMachine().withPageTables();
        p.m.mem.write32(0x12008, 0x181000 | 5);
        return p;
    }

    private static int[] join(int[] a, int... b) {
        int[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void mappedPagesReadAndWriteTheirFramesAndMissingPageFaults() {
        ProtectedModeMachine p = machine();
        p.m.mem.write32(0x180000, 0x12345678);
        p.m.mem.write32(0x181000, 0x0BADF00D);
        // jmp $+2; mov ebx,[400000h]; mov dword [400004h],55h; mov esi,[402000h]; mov dword [402000h],66h;
        // mov ecx,[401000h]; hlt
        p.code(join(ENABLE, 0xeb, 0x00, 0x8b, 0x1d, 0x00, 0x00, 0x40, 0x00, 0xc7, 0x05, 0x04, 0x00, 0x40, 0x00, 0x55,
                0x00, 0x00, 0x00, 0x8b, 0x35, 0x00, 0x20, 0x40, 0x00, 0xc7, 0x05, 0x00, 0x20, 0x40, 0x00, 0x66, 0x00,
                0x00, 0x00, 0x8b, 0x0d, 0x00, 0x10, 0x40, 0x00, 0xf4)).run();
        assertTrue(p.cpu.paging);
        assertEquals(0x12345678, p.reg(Cpu.EBX));
        assertEquals(0x55, p.m.mem.read32(0x180004));
        assertEquals(0x0BADF00D, p.reg(Cpu.ESI));
        assertEquals(0x66, p.m.mem.read32(0x181000), "CR0.WP clear: ring 0 writes read-only pages");
        assertEquals(14, p.vector());
        assertEquals(0, p.errorCode(), "not present, read, supervisor");
        assertEquals(0x401000, p.cpu.cr2);
        assertEquals(0x180000 | 0x67, p.m.mem.read32(0x12000), "accessed and dirty set");
        assertEquals(0x181000 | 0x65, p.m.mem.read32(0x12008));
    }

    @Test
    void writeProtectMakesReadOnlyPagesFaultInRingZero() {
        ProtectedModeMachine p = machine();
        // mov eax,10000h; mov cr3,eax; mov eax,cr0; or eax,80010000h; mov cr0,eax; mov dword [402000h],66h; hlt
        p.code(0xb8, 0x00, 0x00, 0x01, 0x00, 0x0f, 0x22, 0xd8, 0x0f, 0x20, 0xc0, 0x0d, 0x00, 0x00, 0x01, 0x80, 0x0f,
                0x22, 0xc0, 0xc7, 0x05, 0x00, 0x20, 0x40, 0x00, 0x66, 0x00, 0x00, 0x00, 0xf4).run();
        assertEquals(14, p.vector());
        assertEquals(3, p.errorCode(), "present, write, supervisor");
        assertEquals(0x402000, p.cpu.cr2);
        assertEquals(0, p.m.mem.read32(0x181000));
    }

    @Test
    void dwordStraddlingIntoAMissingPageFaultsOnTheSecondPage() {
        ProtectedModeMachine p = machine();
        p.code(join(ENABLE, 0xa1, 0xfe, 0x0f, 0x40, 0x00, 0xf4)).run(); // mov eax,[400FFEh]; hlt
        assertEquals(14, p.vector());
        assertEquals(0x401000, p.cpu.cr2);
        assertEquals(ProtectedModeMachine.CODE32 + ENABLE.length, p.stack(1));
    }

    @Test
    void codeRunningIntoAMissingPageFaultsOnTheFetch() {
        ProtectedModeMachine p = machine();
        for (int k = 0; k < 16; k++) {
            p.m.mem.write8(0x180FF0 + k, 0x90);
        }
        p.code(join(ENABLE, 0xe9, 0xd8, 0x9d, 0x3f, 0x00)).run(); // jmp 400FF0h (16 NOPs, then page 401000h)
        assertEquals(14, p.vector());
        assertEquals(0x401000, p.cpu.cr2);
        assertEquals(0x401000, p.stack(1), "the fault names the instruction that could not be fetched");
    }

    @Test
    void userModeCannotTouchSupervisorPages() {
        ProtectedModeMachine p = machine();
        p.m.mem.write32(0x11000 + 4 * 0x50, 0x50000 | 3); // page 50000h: supervisor only
        // the identity table's pages are supervisor-only: give ring 3 its code and stack pages
        for (int page : new int[] {0x7, 0x8}) {
            p.m.mem.write32(0x11000 + 4 * page, (page << 12) | 7);
        }
        // after paging on: mov ax,60h; ltr ax; push 4Bh; push 8800h; push 2; push 43h; push 7240h; iretd
        p.code(join(ENABLE, 0x66, 0xb8, 0x60, 0x00, 0x0f, 0x00, 0xd8, 0x6a, 0x4b, 0x68, 0x00, 0x88, 0x00, 0x00,
                0x68, 0x02, 0x00, 0x00, 0x00, 0x6a, 0x43, 0x68, 0x40, 0x72, 0x00, 0x00, 0xcf));
        // ring 3 (the IRET nulled DS, whose DPL is 0): mov ax,4Bh; mov ds,ax; mov eax,[50000h]; hlt
        p.at(0x7240, 0x66, 0xb8, 0x4b, 0x00, 0x8e, 0xd8, 0xa1, 0x00, 0x00, 0x05, 0x00, 0xf4);
        p.run();
        assertEquals(14, p.vector());
        assertEquals(5, p.errorCode(), "present, read, user");
        assertEquals(0x50000, p.cpu.cr2);
    }

    @Test
    void fourMegabytePageMapsThroughTheDirectoryAloneWhenPseIsOn() {
        ProtectedModeMachine p = machine();
        p.m.mem.write32(0x10000 + 4 * 0x300, 0x83); // linear C0000000h: 4 MiB page at physical 0
        p.m.mem.write32(0x100000, 0xFEEDBEEF);
        // mov eax,cr4; or eax,10h; mov cr4,eax; (paging on); mov ebx,[0C0100000h]; hlt
        int[] pse = {0x0f, 0x20, 0xe0, 0x83, 0xc8, 0x10, 0x0f, 0x22, 0xe0};
        p.code(join(join(pse, ENABLE), 0x8b, 0x1d, 0x00, 0x00, 0x10, 0xc0, 0xf4)).run();
        assertEquals(-1, p.vector());
        assertEquals(0xFEEDBEEF, p.reg(Cpu.EBX));
        assertEquals(0x83 | 0x20, p.m.mem.read32(0x10000 + 4 * 0x300), "accessed set in the directory entry");
    }

    @Test
    void enterFaultsWhenItsFinalStackTopIsOnAMissingPageAndLeavesEspAsItWas() {
        ProtectedModeMachine p = machine();
        p.m.mem.write32(0x11000 + 4 * 0x3FF, 0); // linear 3FF000h not present, just below the stack page 400000h
        p.cpu.r[Cpu.EBP] = 0x1234;
        // jmp $+2; mov esp,400014h; enter 20h,0; hlt
        p.code(join(ENABLE, 0xeb, 0x00, 0xbc, 0x14, 0x00, 0x40, 0x00, 0xc8, 0x20, 0x00, 0x00, 0xf4)).run();
        assertEquals(14, p.vector());
        assertEquals(0x400014 - 16, p.reg(Cpu.ESP), "the handler's frame sits where ESP was before ENTER");
        int frame = 0x180000 + 4; // linear 400004h
        assertEquals(2, p.m.mem.read32(frame), "error code: not present, write, supervisor");
        assertEquals(ProtectedModeMachine.CODE32 + ENABLE.length + 7, p.m.mem.read32(frame + 4), "EIP of ENTER");
        assertEquals(0x3FFFF0, p.cpu.cr2);
        assertEquals(0x1234, p.reg(Cpu.EBP));
    }

    /**
     * Reads linear 400000h (filling the TLB), repoints its page table entry at 182000h in memory, reloads CR3,
     * reads again, then INVLPGs the page and reads a third time. {@code cr4} and {@code pteFlags} set up PGE and G.
     */
    private static ProtectedModeMachine remapAcrossCr3Load(int cr4, int pteFlags) {
        ProtectedModeMachine p = machine();
        p.m.mem.write32(0x12000, 0x180000 | pteFlags);
        p.m.mem.write32(0x180000, 0x11111111);
        p.m.mem.write32(0x182000, 0x22222222);
        // mov eax,cr4value; mov cr4,eax; ENABLE; jmp $+2; mov ebx,[400000h];
        // mov dword [12000h],182007h|G; mov eax,cr3; mov cr3,eax; mov ecx,[400000h]; invlpg [400000h];
        // mov edx,[400000h]; hlt
        int g = pteFlags & 0x100;
        p.code(join(join(new int[] {0xb8, cr4, 0, 0, 0, 0x0f, 0x22, 0xe0}, ENABLE), 0xeb, 0x00,
                0x8b, 0x1d, 0x00, 0x00, 0x40, 0x00,
                0xc7, 0x05, 0x00, 0x20, 0x01, 0x00, 0x07 | g, 0x20 | (g >> 8), 0x18, 0x00,
                0x0f, 0x20, 0xd8, 0x0f, 0x22, 0xd8,
                0x8b, 0x0d, 0x00, 0x00, 0x40, 0x00,
                0x0f, 0x01, 0x3d, 0x00, 0x00, 0x40, 0x00,
                0x8b, 0x15, 0x00, 0x00, 0x40, 0x00, 0xf4)).run();
        assertEquals(-1, p.vector());
        return p;
    }

    @Test
    void globalPageSurvivesCr3LoadUntilInvlpg() {
        ProtectedModeMachine p = remapAcrossCr3Load(0x80, 0x107); // CR4.PGE, PTE.G
        assertEquals(0x11111111, p.reg(Cpu.EBX));
        assertEquals(0x11111111, p.reg(Cpu.ECX), "the global translation outlived the CR3 load");
        assertEquals(0x22222222, p.reg(Cpu.EDX), "INVLPG dropped it");
    }

    @Test
    void cr3LoadDropsPagesWithoutGOrWithoutCr4Pge() {
        ProtectedModeMachine notGlobal = remapAcrossCr3Load(0x80, 0x007);
        assertEquals(0x22222222, notGlobal.reg(Cpu.ECX));
        ProtectedModeMachine pgeOff = remapAcrossCr3Load(0x00, 0x107);
        assertEquals(0x22222222, pgeOff.reg(Cpu.ECX));
    }

    /** The program at CODE32: paging on, then {@code body} (each {@code CALL} target given as a linear address). */
    private static final class Program {
        private final java.util.List<Integer> bytes = new java.util.ArrayList<>();

        Program(int... start) {
            add(start);
        }

        Program add(int... b) {
            for (int x : b) {
                bytes.add(x & 0xFF);
            }
            return this;
        }

        Program call(int target) {
            int rel = target - (ProtectedModeMachine.CODE32 + bytes.size() + 5);
            return add(0xe8, rel, rel >> 8, rel >> 16, rel >> 24);
        }

        /** invlpg [address] */
        Program invlpg(int address) {
            return add(0x0f, 0x01, 0x3d, address, address >> 8, address >> 16, address >> 24);
        }

        /** The offset the next byte goes to (a label). */
        int here() {
            return bytes.size();
        }

        /** loop to {@code label} */
        Program loop(int label) {
            return add(0xe2, label - (here() + 2));
        }

        /** mov dword [address],value */
        Program store(int address, int value) {
            return add(0xc7, 0x05, address, address >> 8, address >> 16, address >> 24, value, value >> 8,
                    value >> 16, value >> 24);
        }

        int[] toArray() {
            return bytes.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** mov eax,VALUE; ret */
    private static int[] returns(int value) {
        return new int[] {0xb8, value, value >> 8, value >> 16, value >> 24, 0xc3};
    }

    private static final int[] RELOAD_CR3 = {0x0f, 0x20, 0xd8, 0x0f, 0x22, 0xd8};

    @Test
    void codeAtAPageACr3LoadMapsElsewhereRunsFromTheNewFrame() {
        ProtectedModeMachine p = machine();
        p.at(0x180000, returns(0x11)).at(0x182000, returns(0x22));
        // call 400000h; mov ebx,eax; point 400000h at 182000h; reload CR3; call 400000h; hlt
        p.code(new Program(ENABLE).add(0xeb, 0x00).call(0x400000).add(0x89, 0xc3).store(0x12000, 0x182007)
                .add(RELOAD_CR3).call(0x400000).add(0xf4).toArray()).run();
        assertEquals(-1, p.vector());
        assertEquals(0x11, p.reg(Cpu.EBX));
        assertEquals(0x22, p.reg(Cpu.EAX), "the call after the CR3 load went to the new frame, not the old block");
    }

    @Test
    void codeRunningIntoAPageACr3LoadMapsElsewhereRunsTheNewSecondPage() {
        ProtectedModeMachine p = machine();
        // 400FFCh: four NOPs, then page 401000h (183000h, later 184000h): mov eax,n; ret
        p.m.mem.write32(0x12004, 0x183007);
        p.at(0x180FFC, 0x90, 0x90, 0x90, 0x90).at(0x183000, returns(0x33)).at(0x184000, returns(0x44));
        p.code(new Program(ENABLE).add(0xeb, 0x00).call(0x400FFC).add(0x89, 0xc3).store(0x12004, 0x184007)
                .add(RELOAD_CR3).call(0x400FFC).add(0xf4).toArray()).run();
        assertEquals(-1, p.vector());
        assertEquals(0x33, p.reg(Cpu.EBX));
        assertEquals(0x44, p.reg(Cpu.EAX), "the block over both pages was not reused with the old second page");
    }

    @Test
    void codeRunningIntoAPageACr3LoadUnmapsFaultsOnlyWhenItGetsThere() {
        ProtectedModeMachine p = machine();
        p.m.mem.write32(0x12004, 0x183007);
        p.at(0x180FFC, 0x90, 0x90, 0x90, 0x90).at(0x183000, returns(0x33));
        p.code(new Program(ENABLE).add(0xeb, 0x00).call(0x400FFC).add(0x89, 0xc3).store(0x12004, 0)
                .add(RELOAD_CR3).call(0x400FFC).add(0xf4).toArray()).run();
        assertEquals(0x33, p.reg(Cpu.EBX));
        assertEquals(14, p.vector());
        assertEquals(0x401000, p.cpu.cr2);
        assertEquals(0x401000, p.stack(1), "the NOPs on the first page ran; the fetch at 401000h faulted");
    }

    /**
     * Runs a loop that, {@code times} times, calls {@code callee} (EAX back), adds EAX to EBX and then runs
     * {@code body}, the same CALL instruction each time: the block cache links it to the callee's block.
     */
    private static ProtectedModeMachine callLoop(ProtectedModeMachine p, int callee, int times, int... body) {
        // xor ebx,ebx; mov ecx,times; jmp short $+2 (so that the first pass enters the CALL's block as the others do)
        Program code = new Program(ENABLE).add(0xeb, 0x00).add(0x31, 0xdb, 0xb9, times, 0, 0, 0, 0xeb, 0x00);
        int top = code.here();
        code.call(callee).add(0x01, 0xc3).add(body).loop(top).add(0xf4);
        return p.code(code.toArray()).run();
    }

    @Test
    void aCallRunAgainAfterAnInvlpgRemappedItsTargetRunsTheNewFrame() {
        ProtectedModeMachine p = machine();
        p.at(0x180000, returns(0x11)).at(0x182000, returns(0x22));
        // point 400000h at 182000h, then INVLPG it: the CALL's link to the old frame's block must not be followed
        callLoop(p, 0x400000, 2, new Program().store(0x12000, 0x182007).invlpg(0x400000).toArray());
        assertEquals(-1, p.vector());
        assertEquals(0x11 + 0x22, p.reg(Cpu.EBX), "the second call ran the new frame");
    }

    @Test
    void aCallRunAgainAfterAnInvlpgRemappedThePageItsTargetRunsIntoRunsTheNewSecondPage() {
        ProtectedModeMachine p = machine();
        // 400FFCh: four NOPs, then page 401000h (183000h, later 184000h): mov eax,n; ret
        p.m.mem.write32(0x12004, 0x183007);
        p.at(0x180FFC, 0x90, 0x90, 0x90, 0x90).at(0x183000, returns(0x33)).at(0x184000, returns(0x44));
        callLoop(p, 0x400FFC, 2, new Program().store(0x12004, 0x184007).invlpg(0x401000).toArray());
        assertEquals(-1, p.vector());
        assertEquals(0x33 + 0x44, p.reg(Cpu.EBX), "the block over both pages was not reused with the old second page");
    }

    @Test
    void anInvlpgOfAPageNoLinkLeadsIntoKeepsTheLinks() {
        // each pass INVLPGs the callee's page, or the read-only data page 402000h, which no code runs from
        ProtectedModeMachine callee = machine();
        callee.at(0x180000, returns(0x11));
        callLoop(callee, 0x400000, 50, new Program().invlpg(0x400000).toArray());
        ProtectedModeMachine data = machine();
        data.at(0x180000, returns(0x11));
        callLoop(data, 0x400000, 50, new Program().invlpg(0x402000).toArray());
        assertEquals(50 * 0x11, callee.reg(Cpu.EBX));
        assertEquals(50 * 0x11, data.reg(Cpu.EBX));
        long droppingLinks = callee.cpu.blockLookups(), keepingLinks = data.cpu.blockLookups();
        assertTrue(keepingLinks + 2 * 49 <= droppingLinks, "block lookups: " + keepingLinks + " with the data page's"
                + " INVLPG, " + droppingLinks + " with the callee's");
    }

    /** Misses of the block cache over a program that calls the same code before and after {@code between}. */
    private static long missesAround(int... between) {
        ProtectedModeMachine p = machine();
        p.at(0x180000, returns(0x11));
        p.code(new Program(ENABLE).add(0xeb, 0x00).call(0x400000).add(between).call(0x400000).add(0xf4).toArray())
                .run();
        assertEquals(0x11, p.reg(Cpu.EAX));
        return p.cpu.blockMisses();
    }

    @Test
    void cr3LoadsAndCr0AndCr4WritesKeepTheDecodedBlocks() {
        long cr3 = missesAround(RELOAD_CR3);
        long cr4 = missesAround(0x0f, 0x20, 0xe0, 0x0f, 0x22, 0xe0); // mov eax,cr4; mov cr4,eax
        long cr0 = missesAround(0x0f, 0x20, 0xc0, 0x0f, 0x22, 0xc0); // mov eax,cr0; mov cr0,eax
        assertEquals(cr3, cr4, "misses after a CR3 load and after a CR4 write");
        assertEquals(cr3, cr0, "misses after a CR3 load and after a CR0 write");
    }
}
