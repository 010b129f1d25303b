package dev.strata.emulator.cpu.translate;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;

/**
 * A small guest loop run once per process, every block translated, on the translator's thread while a machine boots
 * (see {@link BlockTranslator#warmUpInBackground}). The first translation of a run used to wait 60-80 ms for the JVM
 * to load, link and initialise the translator's and ASM's classes on a busy second core, while the interpreter ran the
 * hot loop that asked for it; after this warm-up it waits about 20 ms. The loop has what DOS and the Linux boot
 * keep busy: loads and stores, ALU ops, CALL/RET, DIV and LOOP.
 */
final class TranslatorWarmUp {

    /** 0000: mov ax,[0]; add ax,cx; xor ax,si; mov [0],ax; call 1Dh; mov bx,cx; or bx,1; xor dx,dx; div bx;
     * add [2],dx; loop 0; hlt; 1Dh: shl ax,1; adc ax,3; and ax,7FFFh; sub ax,[2]; ret. */
    private static final byte[] LOOP = {
        (byte) 0xA1, 0x00, 0x00, 0x01, (byte) 0xC8, 0x31, (byte) 0xF0, (byte) 0xA3, 0x00, 0x00, (byte) 0xE8, 0x10,
        0x00, (byte) 0x89, (byte) 0xCB, (byte) 0x83, (byte) 0xCB, 0x01, 0x31, (byte) 0xD2, (byte) 0xF7,
        (byte) 0xF3, 0x01, 0x16, 0x02, 0x00, (byte) 0xE2, (byte) 0xE4, (byte) 0xF4, (byte) 0xD1, (byte) 0xE0,
        (byte) 0x83, (byte) 0xD0, 0x03, 0x25, (byte) 0xFF, 0x7F, 0x2B, 0x06, 0x02, 0x00, (byte) 0xC3};
    /** Where the code, the data and the stack lie, as real-mode segments. */
    private static final int CODE_SEGMENT = 0x100;
    private static final int DATA_SEGMENT = 0x200;
    private static final int STACK_SEGMENT = 0x300;
    /** Passes of the loop: enough for the translations to run, well under a millisecond once compiled. */
    static final int PASSES = 100;

    private TranslatorWarmUp() {
    }

    /** Runs the loop on a CPU of its own; returns it halted after the loop (for tests). */
    static Cpu run() {
        PhysicalMemory mem = new PhysicalMemory(1 << 20);
        Cpu cpu = new Cpu(mem, new IoBus());
        cpu.setJit(JitMode.ALL);
        mem.load(CODE_SEGMENT << 4, LOOP);
        cpu.loadSegment(Cpu.CS, CODE_SEGMENT);
        cpu.loadSegment(Cpu.DS, DATA_SEGMENT);
        cpu.loadSegment(Cpu.SS, STACK_SEGMENT);
        cpu.r[Cpu.ESP] = 0xFFFE;
        cpu.r[Cpu.ECX] = PASSES;
        cpu.eip = 0;
        cpu.run(20 * PASSES);
        return cpu;
    }
}
