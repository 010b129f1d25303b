package dev.strata.emulator.gdb;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.fpu.Fpu;

/**
 * The CPU's registers as gdb's i386 target numbers them (feature org.gnu.gdb.i386.core): EAX-EDI, EIP, EFLAGS,
 * the six segment selectors, ST0-ST7 (80 bits each) and the x87 control registers; and the target description
 * that declares them. Real mode uses the same layout: EIP is the offset in CS, as the processor holds it.
 */
final class I386Registers {

    static final int COUNT = 32;
    static final int EIP = 8, EFLAGS = 9, FIRST_SEGMENT = 10, FIRST_ST = 16, FIRST_X87_CONTROL = 24;
    /** gdb's segment order: CS SS DS ES FS GS, as Strata's segment indices. */
    private static final int[] SEGMENTS = {Cpu.CS, Cpu.SS, Cpu.DS, Cpu.ES, Cpu.FS, Cpu.GS};
    private static final String[] NAMES = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags",
        "cs", "ss", "ds", "es", "fs", "gs", "st0", "st1", "st2", "st3", "st4", "st5", "st6", "st7", "fctrl", "fstat",
        "ftag", "fiseg", "fioff", "foseg", "fooff", "fop"};

    static final String TARGET_XML = targetXml();

    private I386Registers() {
    }

    /** Bytes register {@code n} takes in a g packet. */
    static int size(int n) {
        return n >= FIRST_ST && n < FIRST_X87_CONTROL ? 10 : 4;
    }

    /** Register {@code n}, little-endian; null for a number outside the layout. */
    static byte[] read(Cpu cpu, int n) {
        if (n < 0 || n >= COUNT) {
            return null;
        }
        if (n >= FIRST_ST && n < FIRST_X87_CONTROL) {
            Fpu f = cpu.fpu;
            int i = n - FIRST_ST;
            byte[] b = new byte[10];
            put(b, 0, (int) f.sig(i));
            put(b, 4, (int) (f.sig(i) >>> 32));
            b[8] = (byte) f.se(i);
            b[9] = (byte) (f.se(i) >>> 8);
            return b;
        }
        byte[] b = new byte[4];
        put(b, 0, value32(cpu, n));
        return b;
    }

    private static int value32(Cpu cpu, int n) {
        if (n < EIP) {
            return cpu.r[n];
        }
        if (n == EIP) {
            return cpu.eip;
        }
        if (n == EFLAGS) {
            return Flags.get(cpu);
        }
        if (n < FIRST_ST) {
            return cpu.seg[SEGMENTS[n - FIRST_SEGMENT]].selector;
        }
        Fpu f = cpu.fpu;
        return switch (n - FIRST_X87_CONTROL) {
            case 0 -> f.cw;
            case 1 -> f.status();
            case 2 -> tagWord(f);
            case 3 -> f.fcs;
            case 4 -> f.fip;
            case 5 -> f.fds;
            case 6 -> f.fdp;
            default -> f.fop;
        };
    }

    /** The full tag word: 11b for an empty physical register, 00b (valid) for the others. */
    private static int tagWord(Fpu f) {
        int tags = 0;
        for (int phys = 0; phys < 8; phys++) {
            if ((f.empty & (1 << phys)) != 0) {
                tags |= 3 << (2 * phys);
            }
        }
        return tags;
    }

    /**
     * Writes register {@code n}: the general registers, EIP and EFLAGS always, segment selectors only in real and
     * virtual-8086 mode (in protected mode a selector means a descriptor load with its checks, which a debugger
     * should not trigger). The x87 registers are read-only here.
     */
    static boolean write(Cpu cpu, int n, byte[] value) {
        if (n < 0 || n >= FIRST_ST || value.length != 4) {
            return false;
        }
        int v = (value[0] & 0xFF) | (value[1] & 0xFF) << 8 | (value[2] & 0xFF) << 16 | (value[3] & 0xFF) << 24;
        if (n < EIP) {
            cpu.r[n] = v;
        } else if (n == EIP) {
            cpu.eip = v;
        } else if (n == EFLAGS) {
            Flags.set(cpu, v, 0x00247FD5); // the flags POPFD may change at CPL 0 outside V86 (not VM, RF, VIF, VIP)
        } else {
            int s = SEGMENTS[n - FIRST_SEGMENT];
            if (cpu.seg[s].selector == (v & 0xFFFF)) {
                return true;
            }
            if (cpu.protectedMode()) {
                return false;
            }
            cpu.seg[s].loadReal(v & 0xFFFF);
            if (s == Cpu.CS) {
                cpu.codeSizeChanged();
            }
        }
        return true;
    }

    private static void put(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    private static String targetXml() {
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n")
                .append("<architecture>i386</architecture>\n<feature name=\"org.gnu.gdb.i386.core\">\n")
                .append("<flags id=\"i386_eflags\" size=\"4\">\n");
        String[][] flags = {{"CF", "0"}, {"PF", "2"}, {"AF", "4"}, {"ZF", "6"}, {"SF", "7"}, {"TF", "8"},
            {"IF", "9"}, {"DF", "10"}, {"OF", "11"}, {"NT", "14"}, {"RF", "16"}, {"VM", "17"}, {"AC", "18"},
            {"VIF", "19"}, {"VIP", "20"}, {"ID", "21"}};
        for (String[] f : flags) {
            x.append("<field name=\"").append(f[0]).append("\" start=\"").append(f[1]).append("\" end=\"")
                    .append(f[1]).append("\"/>\n");
        }
        x.append("</flags>\n");
        for (int n = 0; n < COUNT; n++) {
            String type = n == EIP ? "code_ptr" : n == 4 || n == 5 ? "data_ptr" : n == EFLAGS ? "i386_eflags"
                    : n >= FIRST_ST && n < FIRST_X87_CONTROL ? "i387_ext" : "int32";
            x.append("<reg name=\"").append(NAMES[n]).append("\" bitsize=\"").append(size(n) * 8)
                    .append("\" type=\"").append(type).append("\" regnum=\"").append(n).append('"');
            if (n >= FIRST_ST) {
                x.append(" group=\"float\"");
            }
            x.append("/>\n");
        }
        return x.append("</feature>\n</target>\n").toString();
    }
}
