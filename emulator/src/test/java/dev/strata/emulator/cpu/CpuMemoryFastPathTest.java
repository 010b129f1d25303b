package dev.strata.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.exception.CpuFault;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The data accesses' fast path (the RAM TLB): a page it once let through goes back to the slow path as soon as
 * something there must see its accesses, and with paging on it answers exactly as the Mmu's TLB does.
 */
class CpuMemoryFastPathTest {

    @Test
    void aPageThatComesToHoldCodeSendsWritesToItsCodeToTheCodePath() {
        TestMachine m = new TestMachine();
        m.data(0x3000, 0xB8, 0x11, 0x11, 0xF4); // 0000:3000 mov ax,1111h; hlt
        m.cpu.write32(Cpu.DS, 0x3800, 0x12345678); // a direct write to the page while it holds no code
        m.code(0xEA, 0x00, 0x30, 0x00, 0x00).run(); // jmp 0000:3000
        assertEquals(0x1111, m.reg(Cpu.EAX));
        m.cpu.write16(Cpu.DS, 0x3001, 0x2222); // into the decoded MOV's immediate: must retire its block
        m.cpu.halted = false;
        m.cpu.eip = 0x3000;
        m.cpu.run(100);
        assertEquals(0x2222, m.reg(Cpu.EAX), "the new code ran");
        assertEquals(0x12345678, m.mem.read32(0x3800));
    }

    @Test
    void writesToAPageAreHeardOnceAWatchIsSetThere() {
        TestMachine m = new TestMachine();
        m.cpu.write32(Cpu.DS, 0x5010, 1);
        List<Integer> heard = new ArrayList<>();
        m.mem.watchPage(5, true, (physical, length) -> heard.add(physical));
        m.cpu.write32(Cpu.DS, 0x5020, 2);
        m.cpu.write8(Cpu.DS, 0x5030, 3);
        assertEquals(List.of(0x5020, 0x5030), heard);
        assertEquals(2, m.mem.read32(0x5020));
    }

    @Test
    void readsOfAPageAreHeardOnceReadsAreWatched() {
        TestMachine m = new TestMachine();
        m.mem.write32(0x6010, 0xCAFE);
        assertEquals(0xCAFE, m.cpu.read32(Cpu.DS, 0x6010));
        List<Integer> heard = new ArrayList<>();
        m.mem.watchReads(6, true, (physical, length) -> heard.add(physical));
        assertEquals(0xCAFE, m.cpu.read32(Cpu.DS, 0x6010));
        assertEquals(0xFE, m.cpu.read8(Cpu.DS, 0x6010));
        assertEquals(List.of(0x6010, 0x6010), heard);
    }

    @Test
    void theA20GateMovesAddressesReadBeforeItChanged() {
        TestMachine m = new TestMachine();
        m.mem.write32(0x100010, 0xAAAA);
        m.mem.write32(0x000010, 0x5555);
        m.cpu.loadSegment(Cpu.ES, 0xFFFF);
        assertEquals(0xAAAA, m.cpu.read32(Cpu.ES, 0x20), "FFFF:0020 is 100010h with the gate open");
        m.mem.setA20(false);
        assertEquals(0x5555, m.cpu.read32(Cpu.ES, 0x20), "and 000010h with it closed");
        m.cpu.write32(Cpu.ES, 0x20, 0x7777);
        m.mem.setA20(true);
        assertEquals(0x7777, m.mem.read32(0x10));
        assertEquals(0xAAAA, m.mem.read32(0x100010));
        assertEquals(0xAAAA, m.cpu.read32(Cpu.ES, 0x20));
    }

    @Test
    void writesAfterRamGrewLandInTheNewArray() {
        PhysicalMemory mem = new PhysicalMemory(16 << 20);
        mem.setA20(true);
        Cpu c = new Cpu(mem, new IoBus());
        c.loadSegment(Cpu.DS, 0x100);
        c.write32(Cpu.DS, 0x10, 1);
        assertTrue(mem.allocatedRam() < (8 << 20));
        mem.write8(0xC00000, 9); // above the allocation: RAM is allocated anew up to there
        c.write32(Cpu.DS, 0x10, 2);
        assertEquals(2, mem.read32(0x1010));
        assertEquals(2, c.read32(Cpu.DS, 0x10));
    }

    @Test
    void accessesAcrossTwoPagesGoByteByByteToBoth() {
        TestMachine m = new TestMachine();
        m.cpu.write32(Cpu.DS, 0x7000, 0); // both pages entered
        m.cpu.write32(Cpu.DS, 0x8000, 0);
        m.cpu.write32(Cpu.DS, 0x7FFE, 0x44332211);
        assertEquals(0x2211, m.mem.read16(0x7FFE));
        assertEquals(0x4433, m.mem.read16(0x8000));
        assertEquals(0x44332211, m.cpu.read32(Cpu.DS, 0x7FFE));
        assertEquals(0x3322, m.cpu.read16(Cpu.DS, 0x7FFF));
    }

    /**
     * Flat protected mode with paging: the first 4 MiB identity-mapped, supervisor only; 400000h to 180000h, whose
     * dword at 10h holds 1800h (and 181010h holds 1810h).
     */
    private static ProtectedModeMachine paged() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.code(0xF4).run(); // flat 32-bit protected mode, halted
        p.m.mem.write32(0x10000, 0x11000 | 3);
        p.m.mem.write32(0x10004, 0x12000 | 7);
        for (int k = 0; k < 1024; k++) {
            p.m.mem.write32(0x11000 + 4 * k, (k << 12) | 3);
        }
        p.m.mem.write32(0x12000, 0x180000 | 7);
        p.m.mem.write32(0x12004, 0x181000 | 7);
        p.m.mem.write32(0x180010, 0x1800);
        p.m.mem.write32(0x181010, 0x1810);
        p.cpu.cr3 = 0x10000;
        p.cpu.cr0 |= 0x80000001;
        p.cpu.pagingChanged();
        return p;
    }

    @Test
    void aWriteAfterReadsOfAPageStillSetsItsDirtyBit() {
        ProtectedModeMachine p = paged();
        p.cpu.read32(Cpu.DS, 0x400010);
        p.cpu.read32(Cpu.DS, 0x400020);
        assertEquals(0x180000 | 0x27, p.m.mem.read32(0x12000), "accessed, not dirty");
        p.cpu.write32(Cpu.DS, 0x400010, 5);
        assertEquals(0x180000 | 0x67, p.m.mem.read32(0x12000), "dirty");
        assertEquals(5, p.m.mem.read32(0x180010));
    }

    @Test
    void aUserAccessFaultsOnASupervisorPageTheKernelReadDirectly() {
        ProtectedModeMachine p = paged();
        p.cpu.read32(Cpu.DS, 0x3000);
        p.cpu.cpl = 3;
        CpuFault f = assertThrows(CpuFault.class, () -> p.cpu.read32(Cpu.DS, 0x3000));
        assertEquals(14, f.vector);
        assertEquals(5, f.errorCode, "present, read, user");
        p.cpu.cpl = 0;
        assertEquals(p.m.mem.read32(0x3000), p.cpu.read32(Cpu.DS, 0x3000));
    }

    @Test
    void aChangedMappingTakesEffectAtInvlpgOrACr3LoadAsWithTheTlb() {
        ProtectedModeMachine p = paged();
        assertEquals(0x1800, p.cpu.read32(Cpu.DS, 0x400010));
        p.m.mem.write32(0x12000, 0x181000 | 7);
        assertEquals(0x1800, p.cpu.read32(Cpu.DS, 0x400010), "the TLB still holds the old translation");
        p.cpu.invalidatePage(0x400000);
        assertEquals(0x1810, p.cpu.read32(Cpu.DS, 0x400010));
        p.m.mem.write32(0x12000, 0x180000 | 7);
        p.cpu.invalidatePage(0x400000);
        p.cpu.write32(Cpu.DS, 0x400020, 1); // the walk for the write reads the entry: frame 180000h
        p.m.mem.write32(0x12000, 0x181000 | 7);
        p.cpu.write32(Cpu.DS, 0x400020, 2);
        assertEquals(2, p.m.mem.read32(0x180020), "before the CR3 load the TLB's frame");
        p.cpu.addressSpaceChanged();
        p.cpu.write32(Cpu.DS, 0x400020, 3);
        assertEquals(3, p.m.mem.read32(0x181020), "after it the page table's");
        assertEquals(2, p.m.mem.read32(0x180020));
    }

    @Test
    void aPageWhoseTlbSlotWentToAnotherPageIsWalkedAgain() {
        ProtectedModeMachine p = paged();
        assertEquals(0x1800, p.cpu.read32(Cpu.DS, 0x400010));
        p.m.mem.write32(0x12000, 0x181000 | 7); // no INVLPG
        // page 0 takes the Mmu's slot of page 400h, in an access the fast path does not take (it straddles pages)
        p.cpu.read32(Cpu.DS, 0x000FFE);
        assertEquals(0x1810, p.cpu.read32(Cpu.DS, 0x400010), "the Mmu walked the page tables again");
    }

    @Test
    void theMissPathStaysTooLargeForTheJitCompilerToInlineIntoTheFastPaths() {
        // C2 inlines a hot call of up to FreqInlineSize (325) bytes of bytecode; were the miss path inlined, the
        // page walk and the device paths would make the accessors' compiled code too big to be inlined in turn
        int length = BytecodeLength.of(Cpu.class, "missed");
        assertTrue(length > 325, "Cpu.missed: " + length + " bytes");
    }

    @Test
    void theFlatAccessorsLeaveTheSegmentLimitCheckToTheMissPath() throws IOException {
        // translations inline these at every access: a limit check of their own, with its faults, in each inlined
        // copy made the JIT compiler's code for one 64-instruction block of the Linux boot 29 KB instead of 21 KB
        // (the hit path never needs it: a flat segment's offset is the linear address, and an access across the
        // 4 GiB end misses)
        for (String accessor : List.of("readFlat16", "readFlat32", "writeFlat16", "writeFlat32")) {
            assertEquals(List.of("missed"), cpuMethodsCalledBy(accessor), accessor);
        }
    }

    /** The methods of Cpu that its method {@code name} calls, in order. */
    private static List<String> cpuMethodsCalledBy(String name) throws IOException {
        List<String> called = new ArrayList<>();
        try (InputStream in = Cpu.class.getResourceAsStream("Cpu.class")) {
            new ClassReader(in.readAllBytes()).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String n, String d, String sig, String[] e) {
                    if (!n.equals(name)) {
                        return null;
                    }
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int op, String owner, String method, String desc, boolean itf) {
                            if (owner.equals(Type.getInternalName(Cpu.class))) {
                                called.add(method);
                            }
                        }
                    };
                }
            }, 0);
        }
        return called;
    }
}
