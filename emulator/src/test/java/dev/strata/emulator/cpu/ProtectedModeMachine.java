package dev.strata.emulator.cpu;

/**
 * A {@link TestMachine} that enters protected mode the way an OS loader does: real-mode code at 0700:0100 loads
 * the GDTR and IDTR, sets CR0.PE and far-jumps into a flat 32-bit code segment, which loads DS, ES and SS with a
 * flat data segment, sets ESP to 9000h and jumps to the test's 32-bit code at linear {@link #CODE32}.
 *
 * <p>Every IDT vector v is a 32-bit interrupt gate to the HLT at 4000h + 2v, so {@link #vector()} tells which
 * exception was taken and {@link #errorCode()} what it pushed. GDT selectors:
 * 08 flat code32, 10 flat data32, 18 code16 (base 7000h), 20 data (base 20000h, limit FFFh), 28 read-only data,
 * 30 not-present data, 38 expand-down data (limit FFFh, base 30000h), 40 flat code32 DPL 3, 48 flat data DPL 3,
 * 50 execute-only code, 60 32-bit TSS at 5000h (ring-0 stack 10:9800); 58, 68-78 free for tests.
 */
public final class ProtectedModeMachine {

    public static final int GDT = 0x1000, IDT = 0x2000, TSS = 0x5000, CODE32 = 0x7200;
    public static final int GDT_LIMIT = 0x7F;
    private static final int TRAPS = 0x4000;

    /**
     * mov eax,10000h; mov cr3,eax; mov eax,cr0; or eax,80000000h; mov cr0,eax: paging on, with the tables of
     * {@link #withPageTables}.
     */
    public static final int[] ENABLE_PAGING = {0xb8, 0x00, 0x00, 0x01, 0x00, 0x0f, 0x22, 0xd8, 0x0f, 0x20, 0xc0, 0x0d,
        0x00, 0x00, 0x00, 0x80, 0x0f, 0x22, 0xc0};

    public final TestMachine m = new TestMachine();
    public final Cpu cpu = m.cpu;

    /** Real mode to flat 32-bit protected mode, then JMP to {@link #CODE32}. */
    private static final int[] PROLOGUE = {
        0x0f, 0x01, 0x16, 0x00, 0x0f, // lgdt [0F00h]
        0x0f, 0x01, 0x1e, 0x08, 0x0f, // lidt [0F08h]
        0x0f, 0x20, 0xc0, 0x0c, 0x01, 0x0f, 0x22, 0xc0, // mov eax,cr0; or al,1; mov cr0,eax
        0x66, 0xea, 0x1a, 0x71, 0x00, 0x00, 0x08, 0x00, // jmp dword 08:711A
        0x66, 0xb8, 0x10, 0x00, 0x8e, 0xd8, 0x8e, 0xc0, 0x8e, 0xd0, // mov ax,10h; mov ds,ax; mov es,ax; mov ss,ax
        0xbc, 0x00, 0x90, 0x00, 0x00, // mov esp,9000h
        0xe9, 0xd2, 0x00, 0x00, 0x00, // jmp 7200h
    };

    public ProtectedModeMachine() {
        m.code(PROLOGUE);
        m.mem.write16(0x0F00, GDT_LIMIT);
        m.mem.write32(0x0F02, GDT);
        m.mem.write16(0x0F08, 0x7FF);
        m.mem.write32(0x0F0A, IDT);
        descriptor(0x08, 0, 0xFFFFF, 0x9A, 0xC);
        descriptor(0x10, 0, 0xFFFFF, 0x92, 0xC);
        descriptor(0x18, 0x7000, 0xFFFF, 0x9A, 0);
        descriptor(0x20, 0x20000, 0xFFF, 0x92, 0);
        descriptor(0x28, 0, 0xFFFF, 0x90, 0);
        descriptor(0x30, 0, 0xFFFF, 0x12, 0);
        descriptor(0x38, 0x30000, 0xFFF, 0x96, 0);
        descriptor(0x40, 0, 0xFFFFF, 0xFA, 0xC);
        descriptor(0x48, 0, 0xFFFFF, 0xF2, 0xC);
        descriptor(0x50, 0, 0xFFFF, 0x98, 0);
        descriptor(0x60, TSS, 0x67, 0x89, 0);
        m.mem.write32(TSS + 4, 0x9800);
        m.mem.write16(TSS + 8, 0x10);
        for (int v = 0; v < 256; v++) {
            gate(v, 0x08, TRAPS + 2 * v, 0x8E);
        }
    }

    /**
     * Writes the page tables of the tests that turn paging on ({@link #ENABLE_PAGING}): the directory at 10000h maps
     * the first 4 MiB one to one (table at 11000h, supervisor, writable) and the next 4 MiB through the table at
     * 12000h, whose first entry maps linear 400000h to physical 180000h (user, writable); its other entries are the
     * test's to fill.
     */
    public ProtectedModeMachine withPageTables() {
        m.mem.write32(0x10000, 0x11000 | 7);
        m.mem.write32(0x10004, 0x12000 | 7);
        for (int k = 0; k < 1024; k++) {
            m.mem.write32(0x11000 + 4 * k, (k << 12) | 3);
        }
        m.mem.write32(0x12000, 0x180000 | 7);
        return this;
    }

    /** Writes a code/data/system descriptor ({@code flags}: G, D/B, L, AVL as the high nibble). */
    public ProtectedModeMachine descriptor(int sel, int base, int limit, int access, int flags) {
        int a = GDT + (sel & ~7);
        m.mem.write32(a, (limit & 0xFFFF) | (base << 16));
        m.mem.write32(a + 4, ((base >>> 16) & 0xFF) | (access << 8) | (limit & 0xF0000) | (flags << 20)
                | (base & 0xFF000000));
        return this;
    }

    /** Writes IDT entry {@code vector} (access 8E: 32-bit interrupt gate, 8F trap gate, EE user-callable). */
    public ProtectedModeMachine gate(int vector, int sel, int offset, int access) {
        int a = IDT + vector * 8;
        m.mem.write32(a, (offset & 0xFFFF) | (sel << 16));
        m.mem.write32(a + 4, (offset & 0xFFFF0000) | (access << 8));
        return this;
    }

    /** Places the test's 32-bit code at {@link #CODE32}. */
    public ProtectedModeMachine code(int... code) {
        return at(CODE32, code);
    }

    /** Places bytes at a physical (= linear) address. */
    public ProtectedModeMachine at(int address, int... bytes) {
        m.data(address, bytes);
        return this;
    }

    public ProtectedModeMachine run() {
        m.run();
        return this;
    }

    public int reg(int r) {
        return cpu.r[r];
    }

    /** The vector whose HLT stub stopped the CPU, or -1 when it halted elsewhere. */
    public int vector() {
        int eip = cpu.eip;
        if (eip < TRAPS + 1 || eip > TRAPS + 512) {
            return -1;
        }
        return (eip - TRAPS - 1) / 2;
    }

    /** The dword on top of the stack: the error code after an exception that has one. */
    public int errorCode() {
        return m.mem.read32(cpu.seg[Cpu.SS].base + cpu.r[Cpu.ESP]);
    }

    /** The dword {@code n} slots above the top of the stack. */
    public int stack(int n) {
        return m.mem.read32(cpu.seg[Cpu.SS].base + cpu.r[Cpu.ESP] + 4 * n);
    }
}
