package dev.strata.emulator.cpu.disasm;

/** Names of the x87 escape instructions (D8-DF), by ModRM: memory forms by reg, register forms by the whole byte. */
final class X87Table {
    private X87Table() {
    }

    private static final String[] ARITH = {"fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr"};
    private static final String[] IARITH = {"fiadd", "fimul", "ficom", "ficomp", "fisub", "fisubr", "fidiv",
        "fidivr"};

    /** Memory forms: "mnemonic size" (size empty for environments and save areas), null when undefined. */
    static String memory(int escape, int reg) {
        return switch (escape) {
            case 0 -> ARITH[reg] + " dword";
            case 1 -> new String[] {"fld dword", null, "fst dword", "fstp dword", "fldenv ", "fldcw word",
                "fnstenv ", "fnstcw word"}[reg];
            case 2 -> IARITH[reg] + " dword";
            case 3 -> new String[] {"fild dword", null, "fist dword", "fistp dword", null, "fld tword", null,
                "fstp tword"}[reg];
            case 4 -> ARITH[reg] + " qword";
            case 5 -> new String[] {"fld qword", null, "fst qword", "fstp qword", "frstor ", null, "fnsave ",
                "fnstsw word"}[reg];
            case 6 -> IARITH[reg] + " word";
            default -> new String[] {"fild word", null, "fist word", "fistp word", "fbld tword", "fild qword",
                "fbstp tword", "fistp qword"}[reg];
        };
    }

    private static final String[] D9_E0 = {"fchs", "fabs", null, null, "ftst", "fxam", null, null, "fld1",
        "fldl2t", "fldl2e", "fldpi", "fldlg2", "fldln2", "fldz", null, "f2xm1", "fyl2x", "fptan", "fpatan",
        "fxtract", "fprem1", "fdecstp", "fincstp", "fprem", "fyl2xp1", "fsqrt", "fsincos", "frndint", "fscale",
        "fsin", "fcos"};

    /** Register forms (mod = 3): full text, or null when undefined. */
    static String register(int escape, int modrm) {
        int reg = (modrm >> 3) & 7;
        int i = modrm & 7;
        String st = "st(" + i + ")";
        return switch (escape) {
            case 0 -> reg == 2 || reg == 3 ? ARITH[reg] + " " + st : ARITH[reg] + " st," + st;
            case 1 -> switch (reg) {
                case 0 -> "fld " + st;
                case 1 -> "fxch " + st;
                case 2 -> i == 0 ? "fnop" : null;
                case 3 -> null;
                default -> D9_E0[modrm - 0xE0];
            };
            case 2 -> switch (reg) {
                case 0 -> "fcmovb st," + st;
                case 1 -> "fcmove st," + st;
                case 2 -> "fcmovbe st," + st;
                case 3 -> "fcmovu st," + st;
                case 5 -> i == 1 ? "fucompp" : null;
                default -> null;
            };
            case 3 -> switch (reg) {
                case 0 -> "fcmovnb st," + st;
                case 1 -> "fcmovne st," + st;
                case 2 -> "fcmovnbe st," + st;
                case 3 -> "fcmovnu st," + st;
                case 4 -> new String[] {"fneni", "fndisi", "fnclex", "fninit", "fsetpm", null, null, null}[i];
                case 5 -> "fucomi st," + st;
                case 6 -> "fcomi st," + st;
                default -> null;
            };
            case 4 -> switch (reg) {
                case 0 -> "fadd " + st + ",st";
                case 1 -> "fmul " + st + ",st";
                case 4 -> "fsubr " + st + ",st";
                case 5 -> "fsub " + st + ",st";
                case 6 -> "fdivr " + st + ",st";
                case 7 -> "fdiv " + st + ",st";
                default -> null;
            };
            case 5 -> switch (reg) {
                case 0 -> "ffree " + st;
                case 2 -> "fst " + st;
                case 3 -> "fstp " + st;
                case 4 -> "fucom " + st;
                case 5 -> "fucomp " + st;
                default -> null;
            };
            case 6 -> switch (reg) {
                case 0 -> "faddp " + st + ",st";
                case 1 -> "fmulp " + st + ",st";
                case 3 -> i == 1 ? "fcompp" : null;
                case 4 -> "fsubrp " + st + ",st";
                case 5 -> "fsubp " + st + ",st";
                case 6 -> "fdivrp " + st + ",st";
                case 7 -> "fdivp " + st + ",st";
                default -> null;
            };
            default -> switch (reg) {
                case 4 -> i == 0 ? "fnstsw ax" : null;
                case 5 -> "fucomip st," + st;
                case 6 -> "fcomip st," + st;
                default -> null;
            };
        };
    }
}
