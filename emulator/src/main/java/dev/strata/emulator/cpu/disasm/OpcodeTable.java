package dev.strata.emulator.cpu.disasm;

/**
 * The i686 integer opcode maps as operand templates, in the notation of the Intel manuals' opcode tables.
 *
 * <p>A template is {@code "mnemonic operands"}; a mnemonic {@code a|b} picks by operand size (16|32). Operand codes:
 * {@code Eb Ew Ev Ed} ModRM r/m, {@code Gb Gw Gv Gd} ModRM reg, {@code M Mp Ma} memory only (no size shown), {@code Mq} a qword in memory, {@code Fp} a far pointer in memory,
 * {@code Ib Iw Iv Iz} immediates, {@code sIb} a byte immediate sign-extended to the operand size, {@code Jb Jz}
 * relative targets, {@code Ap} a far pointer, {@code Ob Ov} a direct offset, {@code Sw} a segment register,
 * {@code Cd Dd Rd} control, debug and general registers of MOV CRn/DRn, {@code Zb Zv Zd} the register in the
 * opcode's low three bits, {@code 1}, and literal registers ({@code al cl dx eAX es ...}; {@code eAX} follows the
 * operand size). {@code #name} refers to a group in {@link #GROUPS}; {@code null} is an undefined opcode.
 */
final class OpcodeTable {
    private OpcodeTable() {
    }

    private static final String[] ALU = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
    private static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l",
        "ge", "le", "g"};

    /** The one-byte map; prefixes are handled before the table is consulted. */
    static final String[] ONE = new String[256];
    /** The 0F xx map. */
    static final String[] TWO = new String[256];

    static {
        for (int i = 0; i < 8; i++) {
            String m = ALU[i];
            ONE[i * 8] = m + " Eb,Gb";
            ONE[i * 8 + 1] = m + " Ev,Gv";
            ONE[i * 8 + 2] = m + " Gb,Eb";
            ONE[i * 8 + 3] = m + " Gv,Ev";
            ONE[i * 8 + 4] = m + " al,Ib";
            ONE[i * 8 + 5] = m + " eAX,Iz";
        }
        ONE[0x06] = "push es";
        ONE[0x07] = "pop es";
        ONE[0x0E] = "push cs";
        ONE[0x16] = "push ss";
        ONE[0x17] = "pop ss";
        ONE[0x1E] = "push ds";
        ONE[0x1F] = "pop ds";
        ONE[0x27] = "daa";
        ONE[0x2F] = "das";
        ONE[0x37] = "aaa";
        ONE[0x3F] = "aas";
        for (int i = 0; i < 8; i++) {
            ONE[0x40 + i] = "inc Zv";
            ONE[0x48 + i] = "dec Zv";
            ONE[0x50 + i] = "push Zv";
            ONE[0x58 + i] = "pop Zv";
            ONE[0x90 + i] = i == 0 ? "nop" : "xchg Zv,eAX";
            ONE[0xB0 + i] = "mov Zb,Ib";
            ONE[0xB8 + i] = "mov Zv,Iv";
        }
        ONE[0x60] = "pusha|pushad";
        ONE[0x61] = "popa|popad";
        ONE[0x62] = "bound Gv,Ma";
        ONE[0x63] = "arpl Ew,Gw";
        ONE[0x68] = "push Iz";
        ONE[0x69] = "imul Gv,Ev,Iz";
        ONE[0x6A] = "push sIb";
        ONE[0x6B] = "imul Gv,Ev,sIb";
        ONE[0x6C] = "insb";
        ONE[0x6D] = "insw|insd";
        ONE[0x6E] = "outsb";
        ONE[0x6F] = "outsw|outsd";
        for (int i = 0; i < 16; i++) {
            ONE[0x70 + i] = "j" + CC[i] + " Jb";
            TWO[0x80 + i] = "j" + CC[i] + " Jz";
            TWO[0x90 + i] = "set" + CC[i] + " Eb";
            TWO[0x40 + i] = "cmov" + CC[i] + " Gv,Ev";
        }
        ONE[0x80] = "#alu Eb,Ib";
        ONE[0x81] = "#alu Ev,Iz";
        ONE[0x82] = "#alu Eb,Ib";
        ONE[0x83] = "#alu Ev,sIb";
        ONE[0x84] = "test Eb,Gb";
        ONE[0x85] = "test Ev,Gv";
        ONE[0x86] = "xchg Gb,Eb";
        ONE[0x87] = "xchg Gv,Ev";
        ONE[0x88] = "mov Eb,Gb";
        ONE[0x89] = "mov Ev,Gv";
        ONE[0x8A] = "mov Gb,Eb";
        ONE[0x8B] = "mov Gv,Ev";
        ONE[0x8C] = "mov Ew,Sw";
        ONE[0x8D] = "lea Gv,M";
        ONE[0x8E] = "mov Sw,Ew";
        ONE[0x8F] = "#pop Ev";
        ONE[0x98] = "cbw|cwde";
        ONE[0x99] = "cwd|cdq";
        ONE[0x9A] = "call Ap";
        ONE[0x9B] = "wait";
        ONE[0x9C] = "pushf|pushfd";
        ONE[0x9D] = "popf|popfd";
        ONE[0x9E] = "sahf";
        ONE[0x9F] = "lahf";
        ONE[0xA0] = "mov al,Ob";
        ONE[0xA1] = "mov eAX,Ov";
        ONE[0xA2] = "mov Ob,al";
        ONE[0xA3] = "mov Ov,eAX";
        ONE[0xA4] = "movsb";
        ONE[0xA5] = "movsw|movsd";
        ONE[0xA6] = "cmpsb";
        ONE[0xA7] = "cmpsw|cmpsd";
        ONE[0xA8] = "test al,Ib";
        ONE[0xA9] = "test eAX,Iz";
        ONE[0xAA] = "stosb";
        ONE[0xAB] = "stosw|stosd";
        ONE[0xAC] = "lodsb";
        ONE[0xAD] = "lodsw|lodsd";
        ONE[0xAE] = "scasb";
        ONE[0xAF] = "scasw|scasd";
        ONE[0xC0] = "#shift Eb,Ib";
        ONE[0xC1] = "#shift Ev,Ib";
        ONE[0xC2] = "ret Iw";
        ONE[0xC3] = "ret";
        ONE[0xC4] = "les Gv,Mp";
        ONE[0xC5] = "lds Gv,Mp";
        ONE[0xC6] = "#movi Eb,Ib";
        ONE[0xC7] = "#movi Ev,Iz";
        ONE[0xC8] = "enter Iw,Ib";
        ONE[0xC9] = "leave";
        ONE[0xCA] = "retf Iw";
        ONE[0xCB] = "retf";
        ONE[0xCC] = "int3";
        ONE[0xCD] = "int Ib";
        ONE[0xCE] = "into";
        ONE[0xCF] = "iret|iretd";
        ONE[0xD0] = "#shift Eb,1";
        ONE[0xD1] = "#shift Ev,1";
        ONE[0xD2] = "#shift Eb,cl";
        ONE[0xD3] = "#shift Ev,cl";
        ONE[0xD4] = "aam Ib";
        ONE[0xD5] = "aad Ib";
        ONE[0xD6] = "salc";
        ONE[0xD7] = "xlatb";
        ONE[0xE0] = "loopne Jb";
        ONE[0xE1] = "loope Jb";
        ONE[0xE2] = "loop Jb";
        ONE[0xE3] = "jcxz Jb";
        ONE[0xE4] = "in al,Ib";
        ONE[0xE5] = "in eAX,Ib";
        ONE[0xE6] = "out Ib,al";
        ONE[0xE7] = "out Ib,eAX";
        ONE[0xE8] = "call Jz";
        ONE[0xE9] = "jmp Jz";
        ONE[0xEA] = "jmp Ap";
        ONE[0xEB] = "jmp Jb";
        ONE[0xEC] = "in al,dx";
        ONE[0xED] = "in eAX,dx";
        ONE[0xEE] = "out dx,al";
        ONE[0xEF] = "out dx,eAX";
        ONE[0xF1] = "int1";
        ONE[0xF4] = "hlt";
        ONE[0xF5] = "cmc";
        ONE[0xF6] = "#unary Eb";
        ONE[0xF7] = "#unary Ev";
        ONE[0xF8] = "clc";
        ONE[0xF9] = "stc";
        ONE[0xFA] = "cli";
        ONE[0xFB] = "sti";
        ONE[0xFC] = "cld";
        ONE[0xFD] = "std";
        ONE[0xFE] = "#incdec Eb";
        ONE[0xFF] = "#ff Ev";

        TWO[0x00] = "#grp6 Ew";
        TWO[0x01] = "#grp7 M";
        TWO[0x02] = "lar Gv,Ew";
        TWO[0x03] = "lsl Gv,Ew";
        TWO[0x06] = "clts";
        TWO[0x08] = "invd";
        TWO[0x09] = "wbinvd";
        TWO[0x0B] = "ud2";
        for (int i = 0x18; i <= 0x1F; i++) {
            TWO[i] = "nop Ev"; // hint NOPs: decoded as multi-byte NOPs since the P6
        }
        TWO[0x20] = "mov Rd,Cd";
        TWO[0x21] = "mov Rd,Dd";
        TWO[0x22] = "mov Cd,Rd";
        TWO[0x23] = "mov Dd,Rd";
        TWO[0x30] = "wrmsr";
        TWO[0x31] = "rdtsc";
        TWO[0x32] = "rdmsr";
        TWO[0x33] = "rdpmc";
        TWO[0x34] = "sysenter";
        TWO[0x35] = "sysexit";
        TWO[0xA0] = "push fs";
        TWO[0xA1] = "pop fs";
        TWO[0xA2] = "cpuid";
        TWO[0xA3] = "bt Ev,Gv";
        TWO[0xA4] = "shld Ev,Gv,Ib";
        TWO[0xA5] = "shld Ev,Gv,cl";
        TWO[0xA8] = "push gs";
        TWO[0xA9] = "pop gs";
        TWO[0xAA] = "rsm";
        TWO[0xAB] = "bts Ev,Gv";
        TWO[0xAC] = "shrd Ev,Gv,Ib";
        TWO[0xAD] = "shrd Ev,Gv,cl";
        TWO[0xAE] = "#grp15 M";
        TWO[0xAF] = "imul Gv,Ev";
        TWO[0xB0] = "cmpxchg Eb,Gb";
        TWO[0xB1] = "cmpxchg Ev,Gv";
        TWO[0xB2] = "lss Gv,Mp";
        TWO[0xB3] = "btr Ev,Gv";
        TWO[0xB4] = "lfs Gv,Mp";
        TWO[0xB5] = "lgs Gv,Mp";
        TWO[0xB6] = "movzx Gv,Eb";
        TWO[0xB7] = "movzx Gv,Ew";
        TWO[0xB9] = "ud1 Gv,Ev";
        TWO[0xBA] = "#bt Ev,Ib";
        TWO[0xBB] = "btc Ev,Gv";
        TWO[0xBC] = "bsf Gv,Ev";
        TWO[0xBD] = "bsr Gv,Ev";
        TWO[0xBE] = "movsx Gv,Eb";
        TWO[0xBF] = "movsx Gv,Ew";
        TWO[0xC0] = "xadd Eb,Gb";
        TWO[0xC1] = "xadd Ev,Gv";
        TWO[0xC7] = "#grp9 Mq";
        for (int i = 0; i < 8; i++) {
            TWO[0xC8 + i] = "bswap Zd";
        }
    }

    /**
     * Group members by ModRM reg; {@code null} is undefined. A member may carry its own operands after a space
     * (they replace the opcode's), and a leading {@code !} marks a member that needs a memory operand.
     */
    static String[] group(String name) {
        return switch (name) {
            case "alu" -> ALU;
            case "shift" -> new String[] {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"};
            case "unary" -> new String[] {"test E,I", "test E,I", "not", "neg", "mul", "imul", "div", "idiv"};
            case "incdec" -> new String[] {"inc", "dec", null, null, null, null, null, null};
            case "ff" -> new String[] {"inc", "dec", "call", "!call Fp", "jmp", "!jmp Fp", "push", null};
            case "pop" -> new String[] {"pop", null, null, null, null, null, null, null};
            case "movi" -> new String[] {"mov", null, null, null, null, null, null, null};
            case "grp6" -> new String[] {"sldt", "str", "lldt", "ltr", "verr", "verw", null, null};
            case "grp7" -> new String[] {"!sgdt", "!sidt", "!lgdt", "!lidt", "smsw Ew", null, "lmsw Ew", "!invlpg"};
            case "grp9" -> new String[] {null, "!cmpxchg8b", null, null, null, null, null, null};
            case "grp15" -> new String[] {"!fxsave", "!fxrstor", null, null, null, null, null, null};
            case "bt" -> new String[] {null, null, null, null, "bt", "bts", "btr", "btc"};
            default -> throw new IllegalStateException("no opcode group " + name);
        };
    }
}
