package dev.strata.emulator.cpu.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.cpu.CodeBreakpoints;
import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.TestMachine;
import dev.strata.emulator.cpu.translate.JitMode;
import org.junit.jupiter.api.Test;

/**
 * A block goes on across a direct JMP or CALL to code on its own page, and only there, and after the callee's RET at
 * the return address, checked when the RET runs.
 */
class SuperblockTest {

    /** The code segment's base: its code starts on a page of its own. */
    private static final int BASE = 0x20000;

    /** Runs the real-mode code at CS = BASE's paragraph, IP = {@code ip}, up to its HLT. */
    private static TestMachine run(int ip, int[] code, JitMode jit) {
        TestMachine m = new TestMachine();
        m.cpu.setJit(jit);
        m.data(BASE, code);
        m.cpu.loadSegment(Cpu.CS, BASE >>> 4);
        m.cpu.eip = ip;
        m.cpu.halted = false;
        m.run();
        return m;
    }

    /** mov ax,1; call 10h; hlt; ...; 10h: add ax,2; ret. */
    private static final int[] CALL_FORWARD = {
        0xB8, 0x01, 0x00, 0xE8, 0x0A, 0x00, 0xF4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0x05, 0x02, 0x00, 0xC3};

    @Test
    void aCallToCodeFurtherOnItsPageAndItsReturnGoOnInTheSameBlock() {
        for (JitMode jit : JitMode.values()) {
            TestMachine m = run(0, CALL_FORWARD, jit);
            assertEquals(3, m.reg(Cpu.EAX) & 0xFFFF, jit + ": the callee ran");
            assertEquals(7, m.cpu.eip, jit + ": halted after the call returned");
            assertEquals(1, m.cpu.blockMisses(), jit + ": mov, call, add, ret and hlt in one block");
            assertEquals(5, m.cpu.blockCensus().instructions(), jit.toString());
        }
    }

    @Test
    void aFaultPastTheCallIsDeliveredAtItsInstructionWithTheCallDone() {
        // mov ax,1; call 10h; hlt; ...; 10h: inc ax; mov bx,[0FFFFh] (a word across the segment's end: #GP); ret
        int[] code = {
            0xB8, 0x01, 0x00, 0xE8, 0x0A, 0x00, 0xF4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0x40, 0x8B, 0x1E, 0xFF, 0xFF, 0xC3};
        long counted = -1;
        for (JitMode jit : JitMode.values()) {
            TestMachine m = run(0, code, jit);
            assertEquals(13, m.vector(), jit.toString());
            assertEquals(0x11, m.pushedIp(), jit + ": the faulting instruction");
            assertEquals(2, m.reg(Cpu.EAX) & 0xFFFF, jit + ": the instruction before it ran");
            int ss = m.cpu.seg[Cpu.SS].base;
            int sp = m.cpu.r[Cpu.ESP] & 0xFFFF;
            assertEquals(6, m.mem.read16(ss + sp + 6), jit + ": below the interrupt's frame, the call's return address");
            if (counted >= 0) {
                assertEquals(counted, m.cpu.instructions, jit + ": counted as interpreted");
            }
            counted = m.cpu.instructions;
        }
    }

    @Test
    void aWriteToEitherRunOfItsBytesRetiresTheBlockAndOneBetweenThemDoesNot() {
        TestMachine m = run(0, CALL_FORWARD, JitMode.OFF);
        m.mem.write8(BASE + 0x0C, 0x90); // between the hlt after the call and its target: data
        rerun(m);
        assertEquals(3, m.reg(Cpu.EAX) & 0xFFFF);
        assertEquals(1, m.cpu.blockMisses(), "nothing decoded again");
        m.mem.write8(BASE + 0x11, 0x05); // add ax,5 at the target
        rerun(m);
        assertEquals(6, m.reg(Cpu.EAX) & 0xFFFF, "the new bytes ran");
        assertEquals(2, m.cpu.blockMisses());
        m.mem.write8(BASE + 0x01, 0x07); // mov ax,7 before the call
        rerun(m);
        assertEquals(12, m.reg(Cpu.EAX) & 0xFFFF);
        assertEquals(3, m.cpu.blockMisses());
        m.mem.write8(BASE + 0x06, 0x40); // inc ax where the call returns to, then the hlt that was at 0Ch is a nop
        m.mem.write8(BASE + 0x0C, 0xF4);
        m.mem.write8(BASE + 0x07, 0x90);
        rerun(m);
        assertEquals(13, m.reg(Cpu.EAX) & 0xFFFF);
        assertEquals(4, m.cpu.blockMisses());
    }

    private static void rerun(TestMachine m) {
        // a write from outside a run that kills the block run last also asks the CPU to leave the block it runs
        // next after one instruction (it takes the writer for that block's own code), which would decode one more
        m.cpu.blockExit = false;
        m.cpu.eip = 0;
        m.cpu.halted = false;
        m.run();
    }

    @Test
    void aCallBackToCodeBeforeTheBlockGoesOnToo() {
        // 0: add ax,2; ret; ...; 20h: mov ax,1; call 0; hlt
        int[] code = new int[0x27];
        System.arraycopy(new int[] {0x05, 0x02, 0x00, 0xC3}, 0, code, 0, 4);
        System.arraycopy(new int[] {0xB8, 0x01, 0x00, 0xE8, 0xDA, 0xFF, 0xF4}, 0, code, 0x20, 7);
        for (JitMode jit : JitMode.values()) {
            TestMachine m = run(0x20, code, jit);
            assertEquals(3, m.reg(Cpu.EAX) & 0xFFFF, jit.toString());
            assertEquals(1, m.cpu.blockMisses(), jit.toString());
        }
    }

    @Test
    void aReturnElsewhereLeavesTheBlockWhereItWent() {
        // mov ax,1; call 10h; inc ax; hlt; ...; 10h: pop bx; inc bx; push bx; ret (to the hlt, past the inc)
        int[] code = {
            0xB8, 0x01, 0x00, 0xE8, 0x0A, 0x00, 0x40, 0xF4, 0, 0, 0, 0, 0, 0, 0, 0,
            0x5B, 0x43, 0x53, 0xC3};
        long counted = -1;
        for (JitMode jit : JitMode.values()) {
            TestMachine m = run(0, code, jit);
            assertEquals(1, m.reg(Cpu.EAX) & 0xFFFF, jit + ": the inc after the call did not run");
            assertEquals(8, m.cpu.eip, jit + ": halted at the return address the callee made");
            assertEquals(2, m.cpu.blockMisses(), jit + ": the block up to the ret, then the one at the hlt");
            if (counted >= 0) {
                assertEquals(counted, m.cpu.instructions, jit + ": counted as interpreted");
            }
            counted = m.cpu.instructions;
        }
    }

    @Test
    void aLoopThroughACallLeavesWhereTheCalleeReturnsElsewhere() {
        // mov dx,0Ch; mov cx,5; 6: inc ax; call 10h; loop 6; 0C: hlt; ...
        // 10h: pop bx; cmp cx,2; cmove bx,dx; push bx; ret (to the hlt once CX is 2)
        int[] code = {
            0xBA, 0x0C, 0x00, 0xB9, 0x05, 0x00, 0x40, 0xE8, 0x06, 0x00, 0xE2, 0xFA, 0xF4, 0, 0, 0,
            0x5B, 0x83, 0xF9, 0x02, 0x0F, 0x44, 0xDA, 0x53, 0xC3};
        long counted = -1;
        for (JitMode jit : JitMode.values()) {
            TestMachine m = run(0, code, jit);
            assertEquals(4, m.reg(Cpu.EAX) & 0xFFFF, jit + ": passes with CX 5, 4, 3 and 2");
            assertEquals(2, m.reg(Cpu.ECX) & 0xFFFF, jit.toString());
            assertEquals(0x0D, m.cpu.eip, jit + ": halted at the address the callee returned to");
            if (counted >= 0) {
                assertEquals(counted, m.cpu.instructions, jit + ": counted as interpreted");
            }
            counted = m.cpu.instructions;
        }
    }

    @Test
    void aJumpToAnotherPageEndsTheBlock() {
        // 0: inc ax; jmp 1001h; ...; 1001h: inc ax; hlt
        int[] code = new int[0x1003];
        System.arraycopy(new int[] {0x40, 0xE9, 0xFD, 0x0F}, 0, code, 0, 4);
        System.arraycopy(new int[] {0x40, 0xF4}, 0, code, 0x1001, 2);
        TestMachine m = run(0, code, JitMode.OFF);
        assertEquals(2, m.reg(Cpu.EAX) & 0xFFFF);
        assertEquals(2, m.cpu.blockMisses());
    }

    @Test
    void aJumpOfAnotherOperandSizeEndsTheBlock() {
        // 0: inc ax; jmp dword 8 (66 E9 rel32); ...; 8: inc ax; hlt
        int[] code = {0x40, 0x66, 0xE9, 0x01, 0x00, 0x00, 0x00, 0x90, 0x40, 0xF4};
        TestMachine m = run(0, code, JitMode.OFF);
        assertEquals(2, m.reg(Cpu.EAX) & 0xFFFF);
        assertEquals(2, m.cpu.blockMisses());
    }

    @Test
    void aJumpBackIntoTheBlocksOwnBytesEndsIt() {
        // 0: nop; 1: inc ax; 2: jmp 1 (a loop: the block at 1 then goes round by itself)
        TestMachine m = new TestMachine();
        m.data(BASE, 0x90, 0x40, 0xEB, 0xFD);
        m.cpu.loadSegment(Cpu.CS, BASE >>> 4);
        m.cpu.eip = 0;
        m.cpu.run(1 + 2 * 10);
        assertEquals(10, m.reg(Cpu.EAX) & 0xFFFF);
        assertEquals(2, m.cpu.blockMisses(), "nop, inc, jmp and then inc, jmp");
        assertEquals(5, m.cpu.blockCensus().instructions());
    }

    @Test
    void aJumpThatWrapsIpEndsTheBlock() {
        // at FFF0h: inc ax; jmp +0Ch, which wraps IP to 0000h, a page 64 KiB below; 0: inc ax; hlt
        TestMachine m = new TestMachine();
        int cs = 0x1000;
        m.data((cs << 4) + 0xFFF0, 0x40, 0xE9, 0x0C, 0x00);
        m.data(cs << 4, 0x40, 0xF4);
        m.cpu.loadSegment(Cpu.CS, cs);
        m.cpu.eip = 0xFFF0;
        m.cpu.halted = false;
        m.run();
        assertEquals(2, m.reg(Cpu.EAX) & 0xFFFF);
        assertEquals(2, m.cpu.blockMisses());
    }

    @Test
    void aBreakpointPastTheJumpStopsTheCpuBeforeItsInstruction() {
        TestMachine m = new TestMachine();
        m.data(BASE, CALL_FORWARD);
        m.cpu.loadSegment(Cpu.CS, BASE >>> 4);
        m.cpu.eip = 0;
        int at = BASE + 0x13; // the ret
        m.cpu.setBreakpoints(new CodeBreakpoints() {
            @Override
            public boolean stopsBefore(int linear) {
                return linear == at;
            }

            @Override
            public boolean anyIn(int linear, int length) {
                return at >= linear && at < linear + length;
            }
        });
        m.cpu.run(100);
        assertEquals(0x13, m.cpu.eip, "stopped before the ret");
        assertEquals(3, m.reg(Cpu.EAX) & 0xFFFF, "after the add");
        assertEquals(3, m.cpu.instructions);
    }
}
