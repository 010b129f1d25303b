package dev.strata.emulator.cpu.decode;

/** How to decode one opcode: ModRM presence, operand size rule, immediate form, handler and block ending. */
public final class OpSpec {

    /** Operand size rules. */
    public static final int BYTE = 0, VAR = 1, WORD = 2, DWORD = 3;
    /** Immediate forms. */
    public static final int NO_IMM = 0, IB = 1, IBS = 2, IW = 3, IV = 4, MOFFS = 5, FARPTR = 6, IW_IB = 7, REL8 = 8,
            RELV = 9;

    public boolean modrm;
    public int sizeRule = VAR;
    public int imm = NO_IMM;
    public Exec exec;
    /** Optional fast path for the 16-bit register form (real-mode code's most common case), null if none. */
    public Exec execReg16;
    /** Optional fast path for the 16-bit memory form, null if none. */
    public Exec execMem16;
    /** For group opcodes (sub-spec per ModRM reg); null entries are undefined. */
    public OpSpec[] group;
    /** For x87 escapes: register forms (mod = 3) by the ModRM's low six bits; null entries are undefined. */
    public OpSpec[] registerForms;
    /** Ends the decoded block (control transfer, HLT, state that changes how later code runs or is interrupted). */
    public boolean endsBlock;
    /** Register-form only (mod must be 3) or memory-form only: 0 either, 1 register only, 2 memory only. */
    public int form;
    /** LOCK is legal with this opcode when the destination is memory. */
    public boolean lockable;

    public OpSpec(boolean modrm, int sizeRule, int imm, Exec exec) {
        this.modrm = modrm;
        this.sizeRule = sizeRule;
        this.imm = imm;
        this.exec = exec;
    }

    public OpSpec ends() {
        endsBlock = true;
        return this;
    }

    public OpSpec memOnly() {
        form = 2;
        return this;
    }

    public OpSpec regOnly() {
        form = 1;
        return this;
    }

    public OpSpec reg16(Exec fast) {
        execReg16 = fast;
        return this;
    }

    public OpSpec mem16(Exec fast) {
        execMem16 = fast;
        return this;
    }

    public OpSpec lockable() {
        lockable = true;
        return this;
    }
}
