package dev.strata.emulator.cpu.decode;

/** The opcode map (one-byte opcodes at 0x00-0xFF, 0F-prefixed at 0x100-0x1FF) each concern fills in. */
public final class OpTable {

    private final OpSpec[] specs = new OpSpec[512];

    public OpSpec get(int opcode) {
        return specs[opcode];
    }

    public OpSpec put(int opcode, OpSpec spec) {
        if (specs[opcode] != null && specs[opcode].group == null) {
            throw new IllegalStateException(String.format("opcode %03X defined twice", opcode));
        }
        specs[opcode] = spec;
        return spec;
    }

    /** Defines a ModRM group member ({@code opcode /reg}). */
    public OpSpec putGroup(int opcode, int reg, OpSpec spec) {
        OpSpec g = specs[opcode];
        if (g == null) {
            g = new OpSpec(true, spec.sizeRule, OpSpec.NO_IMM, null);
            g.group = new OpSpec[8];
            specs[opcode] = g;
        }
        g.group[reg] = spec;
        return spec;
    }

    /** Defines the register form (mod = 3) of an escape opcode whose ModRM low six bits are {@code low6}. */
    public OpSpec putRegisterForm(int opcode, int low6, OpSpec spec) {
        OpSpec g = specs[opcode];
        if (g == null) {
            g = new OpSpec(true, spec.sizeRule, OpSpec.NO_IMM, null);
            g.group = new OpSpec[8];
            specs[opcode] = g;
        }
        if (g.registerForms == null) {
            g.registerForms = new OpSpec[64];
        }
        g.registerForms[low6] = spec;
        return spec;
    }

    public OpSpec op(int opcode, boolean modrm, int sizeRule, int imm, Exec exec) {
        return put(opcode, new OpSpec(modrm, sizeRule, imm, exec));
    }

    public OpSpec group(int opcode, int reg, int sizeRule, int imm, Exec exec) {
        return putGroup(opcode, reg, new OpSpec(true, sizeRule, imm, exec));
    }
}
