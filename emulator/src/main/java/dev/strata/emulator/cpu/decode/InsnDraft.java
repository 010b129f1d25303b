package dev.strata.emulator.cpu.decode;

/**
 * The {@link Insn} the {@link Decoder} is filling in, field by field; {@link #build} freezes it. One per decoder,
 * {@link #clear cleared} for each instruction: a new one each time was a sixth of a Linux boot's allocation.
 */
final class InsnDraft {
    public Exec exec;
    /** Length in bytes (prefixes included). */
    public int len;
    /** Operand size: 0 byte, 1 word, 2 dword. */
    public int size;
    /** Sub-operation: ModRM reg field for group opcodes, ALU op for 00-3F, condition code for Jcc/SETcc/CMOVcc. */
    public int sub;
    /** ModRM reg field (register operand). */
    public int reg;
    /** ModRM rm register when {@link #mem} is false. */
    public int rm;
    public boolean mem;
    /** The ModRM byte as fetched (the x87 records it in its last-opcode register). */
    public int modrm;
    /** Segment register of the memory operand (default or override). */
    public int seg;
    public int base = 8, index = 8, scale, disp;
    public int addrMask = 0xFFFF;
    public boolean a32, o32;
    public int imm, imm2;
    /** 0 none, 0xF2 REPNE, 0xF3 REP/REPE. */
    public int rep;
    public boolean lock;
    /** Opcode: 0x00-0xFF one byte, 0x100-0x1FF for 0F xx. */
    public int opcode;

    /** Back to an instruction with nothing decoded yet. */
    void clear() {
        exec = null;
        len = 0;
        size = 0;
        sub = 0;
        reg = 0;
        rm = 0;
        mem = false;
        modrm = 0;
        seg = 0;
        base = 8;
        index = 8;
        scale = 0;
        disp = 0;
        addrMask = 0xFFFF;
        a32 = false;
        o32 = false;
        imm = 0;
        imm2 = 0;
        rep = 0;
        lock = false;
        opcode = 0;
    }

    /** The finished instruction. */
    Insn build() {
        return new Insn(exec, len, size, sub, reg, rm, mem, modrm, seg, base, index, scale, disp, addrMask, a32, o32,
                imm, imm2, rep, lock, opcode);
    }
}
