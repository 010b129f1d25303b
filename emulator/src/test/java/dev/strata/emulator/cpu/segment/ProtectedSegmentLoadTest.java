package dev.strata.emulator.cpu.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.ProtectedModeMachine;
import org.junit.jupiter.api.Test;

/** Protected-mode segment register loads: descriptor checks, their faults and error codes, null selectors. */
class ProtectedSegmentLoadTest {

    private static ProtectedModeMachine loadDs(int sel) {
        // mov ax,sel; mov ds,ax; hlt
        return new ProtectedModeMachine().code(0x66, 0xb8, sel, 0x00, 0x8e, 0xd8, 0xf4).run();
    }

    @Test
    void dataSegmentLoadFillsTheDescriptorCache() {
        ProtectedModeMachine p = loadDs(0x20);
        assertEquals(-1, p.vector());
        assertEquals(0x20, p.cpu.seg[Cpu.DS].selector);
        assertEquals(0x20000, p.cpu.seg[Cpu.DS].base);
        assertEquals(0xFFF, p.cpu.seg[Cpu.DS].limit);
        assertEquals(0x93, p.cpu.seg[Cpu.DS].attributes & 0xFF);
        assertEquals(0x93, p.m.mem.read8(ProtectedModeMachine.GDT + 0x20 + 5), "accessed bit written back");
    }

    @Test
    void notPresentSegmentRaisesNpWithTheSelector() {
        ProtectedModeMachine p = loadDs(0x30);
        assertEquals(11, p.vector());
        assertEquals(0x30, p.errorCode());
    }

    @Test
    void selectorBeyondTheGdtLimitRaisesGp() {
        ProtectedModeMachine p = loadDs(0x80);
        assertEquals(13, p.vector());
        assertEquals(0x80, p.errorCode());
    }

    @Test
    void executeOnlyCodeCannotBeLoadedIntoDs() {
        ProtectedModeMachine p = loadDs(0x50);
        assertEquals(13, p.vector());
        assertEquals(0x50, p.errorCode());
    }

    @Test
    void readableCodeCanBeLoadedIntoDs() {
        ProtectedModeMachine p = loadDs(0x18);
        assertEquals(-1, p.vector());
        assertEquals(0x7000, p.cpu.seg[Cpu.DS].base);
    }

    @Test
    void readOnlySegmentCannotBeTheStack() {
        // mov ax,28h; mov ss,ax; hlt
        ProtectedModeMachine p = new ProtectedModeMachine().code(0x66, 0xb8, 0x28, 0x00, 0x8e, 0xd0, 0xf4).run();
        assertEquals(13, p.vector());
        assertEquals(0x28, p.errorCode());
    }

    @Test
    void nullStackSelectorRaisesGpZero() {
        // xor eax,eax; mov ss,ax; hlt
        ProtectedModeMachine p = new ProtectedModeMachine().code(0x31, 0xc0, 0x8e, 0xd0, 0xf4).run();
        assertEquals(13, p.vector());
        assertEquals(0, p.errorCode());
    }

    @Test
    void nullSelectorLoadsButFaultsOnUse() {
        // xor eax,eax; mov es,ax; mov ebx,1; mov ecx,[es:0]; hlt
        ProtectedModeMachine p = new ProtectedModeMachine()
                .code(0x31, 0xc0, 0x8e, 0xc0, 0xbb, 0x01, 0x00, 0x00, 0x00, 0x26, 0x8b, 0x0d, 0, 0, 0, 0, 0xf4).run();
        assertEquals(13, p.vector());
        assertEquals(0, p.errorCode());
        assertEquals(1, p.reg(Cpu.EBX), "the load itself did not fault");
        assertEquals(ProtectedModeMachine.CODE32 + 9, p.stack(1));
    }

    @Test
    void dataSegmentWithDplBelowCplCannotBeLoadedFromRingThree() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        // mov ax,60h; ltr ax; push 4Bh; push 8800h; push 2; push 43h; push 7240h; iretd  (to ring 3)
        p.code(0x66, 0xb8, 0x60, 0x00, 0x0f, 0x00, 0xd8, 0x6a, 0x4b, 0x68, 0x00, 0x88, 0x00, 0x00,
                0x68, 0x02, 0x00, 0x00, 0x00, 0x6a, 0x43, 0x68, 0x40, 0x72, 0x00, 0x00, 0xcf);
        p.at(0x7240, 0x66, 0xb8, 0x10, 0x00, 0x8e, 0xd8, 0xf4); // mov ax,10h; mov ds,ax; hlt
        p.run();
        assertEquals(13, p.vector());
        assertEquals(0x10, p.errorCode());
        assertEquals(0x43, p.stack(2), "pushed CS of the ring-3 code");
        assertEquals(0x8800, p.stack(4), "pushed ring-3 ESP");
    }
}
