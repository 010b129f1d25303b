package dev.strata.emulator.cpu.disasm;

import java.util.Locale;

/** Decodes one instruction: prefixes, opcode, ModRM/SIB, displacement and immediates, into Intel syntax. */
final class Decoder {
    private static final int MAX_LENGTH = 15;
    private static final String[] REG8 = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
    private static final String[] REG16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    private static final String[] REG32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    private static final String[] SEG = {"es", "cs", "ss", "ds", "fs", "gs"};
    private static final String[] MEM16 = {"bx+si", "bx+di", "bp+si", "bp+di", "si", "di", "bp", "bx"};
    private static final int ES = 0, CS = 1, SS = 2, DS = 3;

    /** Thrown when the code ends inside an instruction, or an encoding is undefined. */
    private static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;

        Bad() {
            super(null, null, false, false);
        }
    }

    private final byte[] code;
    private final int start;
    private final boolean is32;
    private final long ip;
    private int pos;
    private int seg = -1;
    private boolean opPrefix;
    private boolean addrPrefix;
    private int rep;
    private boolean lock;
    private int modrm = -1;
    private String memText;
    private int memDefaultSeg;

    Decoder(byte[] code, int offset, boolean is32, long ip) {
        this.code = code;
        this.start = offset;
        this.is32 = is32;
        this.ip = ip;
        this.pos = offset;
    }

    Instruction decode() {
        try {
            return decodeOrFail();
        } catch (Bad e) {
            return new Instruction(Math.max(1, pos - start), "(bad)");
        }
    }

    private boolean os32() {
        return is32 ^ opPrefix;
    }

    private boolean as32() {
        return is32 ^ addrPrefix;
    }

    private int u8() throws Bad {
        if (pos >= code.length || pos - start >= MAX_LENGTH) {
            throw new Bad(); // the instruction then spans everything up to here
        }
        return code[pos++] & 0xFF;
    }

    private int u16() throws Bad {
        return u8() | u8() << 8;
    }

    private long u32() throws Bad {
        return (u16() | (long) u16() << 16) & 0xFFFF_FFFFL;
    }

    private Instruction decodeOrFail() throws Bad {
        int op;
        while (true) {
            op = u8();
            switch (op) {
                case 0x26 -> seg = ES;
                case 0x2E -> seg = CS;
                case 0x36 -> seg = SS;
                case 0x3E -> seg = DS;
                case 0x64 -> seg = 4;
                case 0x65 -> seg = 5;
                case 0x66 -> opPrefix = true;
                case 0x67 -> addrPrefix = true;
                case 0xF0 -> lock = true;
                case 0xF2, 0xF3 -> rep = op;
                default -> {
                    return opcode(op);
                }
            }
        }
    }

    private Instruction opcode(int op) throws Bad {
        String template;
        if (op == 0x0F) {
            op = 0x100 | u8();
            template = OpcodeTable.TWO[op & 0xFF];
        } else if (op >= 0xD8 && op <= 0xDF) {
            return finish("", x87(op - 0xD8));
        } else {
            template = OpcodeTable.ONE[op];
        }
        if (template == null) {
            throw new Bad();
        }
        if (op >= 0x120 && op <= 0x123) {
            modrm = u8(); // MOV CRn/DRn always name a register, whatever the mod bits say
        }
        int sp = template.indexOf(' ');
        String mnemonic = sp < 0 ? template : template.substring(0, sp);
        String operands = sp < 0 ? "" : template.substring(sp + 1);
        if (mnemonic.startsWith("#")) {
            readModrm();
            String member = OpcodeTable.group(mnemonic.substring(1))[(modrm >> 3) & 7];
            if (member == null) {
                throw new Bad();
            }
            if (member.startsWith("!")) {
                if ((modrm >> 6) == 3) {
                    throw new Bad();
                }
                member = member.substring(1);
            }
            int msp = member.indexOf(' ');
            if (msp >= 0) {
                String own = member.substring(msp + 1);
                boolean wide = operands.startsWith("Ev");
                operands = own.replace("E,I", wide ? "Ev,Iz" : "Eb,Ib");
                member = member.substring(0, msp);
            }
            mnemonic = member;
        }
        int bar = mnemonic.indexOf('|');
        if (bar >= 0) {
            mnemonic = os32() ? mnemonic.substring(bar + 1) : mnemonic.substring(0, bar);
        }
        if (op == 0xE3 && as32()) {
            mnemonic = "jecxz";
        } else if (op == 0x90 && rep == 0xF3) {
            mnemonic = "pause";
        }
        StringBuilder text = new StringBuilder(mnemonic);
        if (!operands.isEmpty()) {
            text.append(' ');
            String[] ops = operands.split(",");
            for (int i = 0; i < ops.length; i++) {
                if (i > 0) {
                    text.append(',');
                }
                text.append(operand(ops[i], op));
            }
        }
        if ((op == 0xD4 || op == 0xD5) && code[pos - 1] == 0x0A) {
            text.setLength(mnemonic.length()); // plain AAM/AAD: base ten is implied
        }
        return finish(prefixWords(mnemonic, operands.isEmpty()), text.toString());
    }

    /** Assembles the text as "segment repeat lock mnemonic operands", the order assemblers print prefixes in. */
    private Instruction finish(String prefixWords, String text) {
        return new Instruction(pos - start, prefixWords + (lock ? "lock " : "") + text);
    }

    /** Segment and repeat prefixes spelled before string instructions, as assemblers write them. */
    private String prefixWords(String mnemonic, boolean noOperands) {
        if (!noOperands) {
            return "";
        }
        boolean dsSource = mnemonic.startsWith("movs") || mnemonic.startsWith("cmps")
                || mnemonic.startsWith("lods") || mnemonic.startsWith("outs") || mnemonic.equals("xlatb");
        boolean string = dsSource || mnemonic.startsWith("stos") || mnemonic.startsWith("scas")
                || mnemonic.startsWith("ins");
        StringBuilder sb = new StringBuilder();
        if (dsSource && seg >= 0 && seg != DS) {
            sb.append(SEG[seg]).append(' ');
        }
        if (string && !mnemonic.equals("xlatb")) {
            if (rep == 0xF2) {
                sb.append("repne ");
            } else if (rep == 0xF3) {
                sb.append(mnemonic.startsWith("cmps") || mnemonic.startsWith("scas") ? "repe " : "rep ");
            }
        }
        return sb.toString();
    }

    private void readModrm() throws Bad {
        if (modrm >= 0) {
            return;
        }
        modrm = u8();
        int mod = modrm >> 6;
        int rm = modrm & 7;
        if (mod == 3) {
            return;
        }
        if (as32()) {
            address32(mod, rm);
        } else {
            address16(mod, rm);
        }
    }

    private void address16(int mod, int rm) throws Bad {
        if (mod == 0 && rm == 6) {
            memText = hex(u16(), 4);
            memDefaultSeg = DS;
            return;
        }
        memDefaultSeg = rm == 2 || rm == 3 || rm == 6 ? SS : DS;
        String disp = mod == 1 ? signedHex((byte) u8(), 2) : mod == 2 ? signedHex((short) u16(), 4) : "";
        memText = MEM16[rm] + disp;
    }

    private void address32(int mod, int rm) throws Bad {
        String base;
        String index = "";
        memDefaultSeg = DS;
        if (rm == 4) {
            int sib = u8();
            int scale = 1 << (sib >> 6);
            int idx = (sib >> 3) & 7;
            int b = sib & 7;
            if (idx != 4) {
                index = REG32[idx] + (scale > 1 ? "*" + scale : "");
            }
            if (b == 5 && mod == 0) {
                base = null;
            } else {
                base = REG32[b];
                if (b == 4 || b == 5) {
                    memDefaultSeg = SS;
                }
            }
        } else if (rm == 5 && mod == 0) {
            memText = hex(u32(), 8);
            return;
        } else {
            base = REG32[rm];
            if (rm == 5) {
                memDefaultSeg = SS;
            }
        }
        StringBuilder sb = new StringBuilder();
        if (base != null) {
            sb.append(base);
        }
        if (!index.isEmpty()) {
            if (sb.length() > 0) {
                sb.append('+');
            }
            sb.append(index);
        }
        if (base == null) {
            long d = u32();
            sb.append(sb.length() > 0 ? signedHex((int) d, 2) : hex(d, 8));
        } else if (mod == 1) {
            sb.append(signedHex((byte) u8(), 2));
        } else if (mod == 2) {
            sb.append(signedHex((int) u32(), 2));
        }
        memText = sb.toString();
    }

    private String memory(String size) {
        String segText = seg >= 0 && seg != memDefaultSeg ? SEG[seg] + ":" : "";
        return (size.isEmpty() ? "" : size + " ") + "[" + segText + memText + "]";
    }

    private static String sizeName(int bits) {
        return switch (bits) {
            case 8 -> "byte";
            case 16 -> "word";
            case 32 -> "dword";
            default -> "qword";
        };
    }

    private static String reg(int bits, int n) {
        return bits == 8 ? REG8[n] : bits == 16 ? REG16[n] : REG32[n];
    }

    private int width(char c) {
        return switch (c) {
            case 'b' -> 8;
            case 'w' -> 16;
            case 'd' -> 32;
            default -> os32() ? 32 : 16;
        };
    }

    private String operand(String spec, int op) throws Bad {
        switch (spec) {
            case "1", "al", "cl", "dx", "es", "cs", "ss", "ds", "fs", "gs":
                return spec;
            case "eAX":
                return os32() ? "eax" : "ax";
            case "Ib":
                return hex(u8(), 2);
            case "Iw":
                return hex(u16(), 4);
            case "Iz", "Iv":
                return os32() ? hex(u32(), 8) : hex(u16(), 4);
            case "sIb": {
                int v = (byte) u8();
                return os32() ? hex(v & 0xFFFF_FFFFL, 2) : hex(v & 0xFFFF, 2);
            }
            case "Jb": {
                int rel = (byte) u8();
                return target(rel);
            }
            case "Jz":
                return target(os32() ? (int) u32() : (short) u16());
            case "Ap": {
                long off = os32() ? u32() : u16();
                int sel = u16();
                return hex(sel, 4) + ":" + hex(off, os32() ? 8 : 4);
            }
            case "Ob", "Ov": {
                memText = as32() ? hex(u32(), 8) : hex(u16(), 4);
                memDefaultSeg = DS;
                return memory(spec.equals("Ob") ? "byte" : sizeName(width('v')));
            }
            case "Zb":
                return REG8[op & 7];
            case "Zv":
                return reg(width('v'), op & 7);
            case "Zd":
                return REG32[op & 7];
            default:
                break;
        }
        readModrm();
        int mod = modrm >> 6;
        int regField = (modrm >> 3) & 7;
        int rm = modrm & 7;
        char kind = spec.charAt(0);
        switch (kind) {
            case 'E': {
                int bits = width(spec.charAt(1));
                if (mod == 3) {
                    return reg(op == 0x8C ? width('v') : bits, rm);
                }
                return memory(sizeName(bits));
            }
            case 'G':
                return reg(width(spec.charAt(1)), regField);
            case 'M': {
                if (mod == 3) {
                    throw new Bad();
                }
                if (op == 0x8D) {
                    seg = -1; // LEA computes an offset: a segment override has no effect, so none is shown
                }
                return memory(spec.equals("Mq") ? "qword" : "");
            }
            case 'F': {
                if (mod == 3) {
                    throw new Bad();
                }
                return "far " + memory("");
            }
            case 'S':
                if (regField > 5) {
                    throw new Bad();
                }
                return SEG[regField];
            case 'C':
                if (regField == 1 || regField > 4) {
                    throw new Bad();
                }
                return "cr" + regField;
            case 'D':
                return "dr" + regField;
            case 'R':
                return REG32[rm];
            default:
                throw new IllegalStateException("unknown operand code " + spec);
        }
    }

    private String target(long rel) {
        long next = ip + (pos - start) + rel;
        return os32() ? hex(next & 0xFFFF_FFFFL, 8) : hex(next & 0xFFFF, 4);
    }

    private String x87(int escape) throws Bad {
        readModrm();
        if ((modrm >> 6) == 3) {
            String text = X87Table.register(escape, modrm);
            if (text == null) {
                throw new Bad();
            }
            return text;
        }
        String form = X87Table.memory(escape, (modrm >> 3) & 7);
        if (form == null) {
            throw new Bad();
        }
        int sp = form.indexOf(' ');
        return form.substring(0, sp) + " " + memory(form.substring(sp + 1));
    }

    static String hex(long v, int digits) {
        String h = Long.toHexString(v).toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder("0x");
        for (int i = h.length(); i < digits; i++) {
            sb.append('0');
        }
        return sb.append(h).toString();
    }

    /** A displacement after a base register; zero is left out, as assemblers write {@code [bp+di]}. */
    private static String signedHex(int v, int digits) {
        if (v == 0) {
            return "";
        }
        return v < 0 ? "-" + hex(-(long) v, digits) : "+" + hex(v, digits);
    }
}
