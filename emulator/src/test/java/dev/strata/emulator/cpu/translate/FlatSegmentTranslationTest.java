package dev.strata.emulator.cpu.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.ProtectedModeMachine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A block translated while its data segments were flat goes by offset as linear address after checking, when it
 * starts, that they still are: it runs as the interpreter does, falls back to it when a segment is no longer flat,
 * and faults where a segment's limit check would.
 */
class FlatSegmentTranslationTest {

    /** Runs {@code code} at {@link ProtectedModeMachine#CODE32} (flat DS, ES and SS) with {@code jit}. */
    private static ProtectedModeMachine run(JitMode jit, int[] code, int... data) {
        ProtectedModeMachine p = new ProtectedModeMachine();
        p.cpu.setJit(jit);
        p.code(code);
        for (int k = 0; k + 1 < data.length; k += 2) {
            p.m.mem.write32(data[k], data[k + 1]);
        }
        return p.run();
    }

    @Test
    void loadsAndStoresOfEverySizeGoTheSameTranslated() {
        // mov eax,[8000h]; add eax,[8004h]; mov [8008h],eax; mov [800Ch],al; mov [800Eh],ax; movzx ebx,word [8002h];
        // hlt
        int[] code = {
            0xA1, 0x00, 0x80, 0x00, 0x00, 0x03, 0x05, 0x04, 0x80, 0x00, 0x00, 0xA3, 0x08, 0x80, 0x00, 0x00,
            0xA2, 0x0C, 0x80, 0x00, 0x00, 0x66, 0xA3, 0x0E, 0x80, 0x00, 0x00, 0x0F, 0xB7, 0x1D, 0x02, 0x80, 0x00, 0x00,
            0xF4};
        long counted = -1;
        for (JitMode jit : JitMode.values()) {
            ProtectedModeMachine p = run(jit, code, 0x8000, 0x12345678, 0x8004, 0x11111111);
            assertEquals(-1, p.vector(), jit.toString());
            assertEquals(0x23456789, p.m.mem.read32(0x8008), jit.toString());
            assertEquals(0x89, p.m.mem.read8(0x800C), jit.toString());
            assertEquals(0x6789, p.m.mem.read16(0x800E), jit.toString());
            assertEquals(0x1234, p.reg(Cpu.EBX), jit.toString());
            if (counted >= 0) {
                assertEquals(counted, p.cpu.instructions, jit.toString());
            }
            counted = p.cpu.instructions;
        }
    }

    @Test
    void stackAccessesThroughAFlatSsGoTheSameTranslated() {
        // mov esp,19000h (above 64 KiB: ESP, not SP); mov eax,11111111h; push eax; push 22h; call 7217h; pop ebx;
        // pop ecx; hlt; nop; nop; 7217: push ebp; mov ebp,esp; mov edx,[ebp+8]; pop ebp; ret
        int[] code = {0xBC, 0x00, 0x90, 0x01, 0x00, 0xB8, 0x11, 0x11, 0x11, 0x11, 0x50, 0x6A, 0x22,
            0xE8, 0x05, 0x00, 0x00, 0x00, 0x5B, 0x59, 0xF4, 0x90, 0x90, 0x55, 0x89, 0xE5, 0x8B, 0x55, 0x08, 0x5D, 0xC3};
        long counted = -1;
        for (JitMode jit : JitMode.values()) {
            ProtectedModeMachine p = run(jit, code);
            assertEquals(-1, p.vector(), jit.toString());
            assertEquals(0x22, p.reg(Cpu.EDX), jit + ": read through EBP, a frame's argument");
            assertEquals(0x22, p.reg(Cpu.EBX), jit.toString());
            assertEquals(0x11111111, p.reg(Cpu.ECX), jit.toString());
            assertEquals(0x19000, p.reg(Cpu.ESP), jit.toString());
            assertEquals(0x7212, p.m.mem.read32(0x19000 - 12), jit + ": the return address the call pushed");
            if (counted >= 0) {
                assertEquals(counted, p.cpu.instructions, jit.toString());
            }
            counted = p.cpu.instructions;
        }
    }

    @Test
    void aBlockMadeForAFlatSegmentIsInterpretedOnceTheSegmentIsNoLongerFlat() {
        // 7200: call 9000h; mov dx,20h; mov ds,dx (base 20000h, limit FFFh); call 9000h; hlt
        // 9000: add ebx,[10h]; ret  (another page, so a block of its own: made for a flat DS at the first call)
        int[] code = {0xE8, 0xFB, 0x1D, 0x00, 0x00, 0x66, 0xBA, 0x20, 0x00, 0x8E, 0xDA, 0xE8, 0xF0, 0x1D, 0x00, 0x00,
            0xF4};
        for (JitMode jit : JitMode.values()) {
            ProtectedModeMachine p = new ProtectedModeMachine();
            p.cpu.setJit(jit);
            p.code(code);
            p.at(0x9000, 0x03, 0x1D, 0x10, 0x00, 0x00, 0x00, 0xC3);
            p.m.mem.write32(0x10, 5);
            p.m.mem.write32(0x20010, 7);
            p.run();
            assertEquals(-1, p.vector(), jit.toString());
            assertEquals(12, p.reg(Cpu.EBX), jit + ": [10h] through the flat DS, then through the one at 20000h");
        }
    }

    @Test
    void anAccessAcrossTheEndOfTheAddressSpaceFaultsAsTheLimitCheckWould() {
        for (JitMode jit : JitMode.values()) {
            // inc ebx; mov eax,[FFFFFFFEh]
            ProtectedModeMachine gp = run(jit, new int[] {0x43, 0xA1, 0xFE, 0xFF, 0xFF, 0xFF, 0xF4});
            assertEquals(13, gp.vector(), jit + ": #GP");
            assertEquals(1, gp.reg(Cpu.EBX), jit + ": the instruction before it ran");
            // inc ebx; mov [ss:FFFFFFFFh],ax
            ProtectedModeMachine ss = run(jit, new int[] {0x43, 0x36, 0x66, 0xA3, 0xFF, 0xFF, 0xFF, 0xFF, 0xF4});
            assertEquals(12, ss.vector(), jit + ": #SS through SS");
            ProtectedModeMachine last = run(jit, new int[] {0xA0, 0xFF, 0xFF, 0xFF, 0xFF, 0xF4}); // mov al,[FFFFFFFFh]
            assertEquals(-1, last.vector(), jit + ": the last byte is within the limit");
        }
    }

    @Test
    void accessesThroughSegmentsCheckedFlatCallTheFlatAccessorsUntilAHandlerRuns() {
        List<String> calls = new ArrayList<>();
        MethodVisitor recorder = new MethodVisitor(Opcodes.ASM9) {
            @Override
            public void visitMethodInsn(int op, String owner, String name, String descriptor, boolean itf) {
                calls.add(name);
            }
        };
        MemoryEmitter memory = new MemoryEmitter(recorder, 1);
        memory.assumeFlat(1 << Cpu.DS, new LocalSlots(5), new Label());
        assertEquals(List.of("flat", "ramTlb", "tagBits"), calls, "DS checked, then the TLB and the tag in locals");
        calls.clear();
        memory.read(2, Cpu.DS, 10);
        memory.write(1, Cpu.DS, 10, 11);
        memory.read(0, Cpu.DS, 10);
        memory.read(2, Cpu.ES, 10);
        memory.stopAssumingFlat();
        memory.read(2, Cpu.DS, 10);
        assertEquals(List.of("readFlat32", "writeFlat16", "readLinear8", "read32", "read32"), calls,
                "ES was not checked; after a handler, nothing is taken as flat");
        assertFalse(memory.stackHoisted(), "SS was not checked");
        memory.assumeFlat(1 << Cpu.SS, new LocalSlots(20), new Label());
        assertTrue(memory.stackHoisted(), "a flat SS: stack accesses inline, through ESP");
    }
}
