package dev.strata.emulator.cpu.muldiv;

import static dev.strata.emulator.cpu.decode.OpSpec.BYTE;
import static dev.strata.emulator.cpu.decode.OpSpec.IBS;
import static dev.strata.emulator.cpu.decode.OpSpec.IV;
import static dev.strata.emulator.cpu.decode.OpSpec.NO_IMM;
import static dev.strata.emulator.cpu.decode.OpSpec.VAR;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.decode.OpTable;
import dev.strata.emulator.cpu.exception.CpuFault;

/** MUL, IMUL (one, two and three operand forms), DIV and IDIV with the divide error (#DE). */
public final class MulDivInstructions {

    private MulDivInstructions() {
    }

    static final Exec MUL = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int v = c.readRm(i, i.size());
            switch (i.size()) {
                case 0: {
                    int res = (c.r[Cpu.EAX] & 0xFF) * v;
                    c.setReg(1, Cpu.EAX, res);
                    boolean hi = (res & 0xFF00) != 0;
                    Flags.setSzp(c, 0, res, hi, hi, false);
                    break;
                }
                case 1: {
                    int res = (c.r[Cpu.EAX] & 0xFFFF) * v;
                    c.setReg(1, Cpu.EAX, res);
                    c.setReg(1, Cpu.EDX, res >>> 16);
                    boolean hi = (res >>> 16) != 0;
                    Flags.setSzp(c, 1, res, hi, hi, false);
                    break;
                }
                default: {
                    long res = (c.r[Cpu.EAX] & 0xFFFFFFFFL) * (v & 0xFFFFFFFFL);
                    c.r[Cpu.EAX] = (int) res;
                    c.r[Cpu.EDX] = (int) (res >>> 32);
                    boolean hi = (res >>> 32) != 0;
                    Flags.setSzp(c, 2, (int) res, hi, hi, false);
                    break;
                }
            }
        }
    };

    static final Exec IMUL1 = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int v = c.readRm(i, i.size());
            switch (i.size()) {
                case 0: {
                    int res = (byte) c.r[Cpu.EAX] * (byte) v;
                    c.setReg(1, Cpu.EAX, res);
                    boolean of = res != (byte) res;
                    Flags.setSzp(c, 0, res, of, of, false);
                    break;
                }
                case 1: {
                    int res = (short) c.r[Cpu.EAX] * (short) v;
                    c.setReg(1, Cpu.EAX, res);
                    c.setReg(1, Cpu.EDX, res >>> 16);
                    boolean of = res != (short) res;
                    Flags.setSzp(c, 1, res, of, of, false);
                    break;
                }
                default: {
                    long res = (long) c.r[Cpu.EAX] * v;
                    c.r[Cpu.EAX] = (int) res;
                    c.r[Cpu.EDX] = (int) (res >>> 32);
                    boolean of = res != (int) res;
                    Flags.setSzp(c, 2, (int) res, of, of, false);
                    break;
                }
            }
        }
    };

    private static int imul(Cpu c, int size, int a, int b) {
        long product = imulWithFlags(size, a, b);
        boolean overflow = product >>> 32 != 0;
        Flags.setSzp(c, size, (int) product, overflow, overflow, false);
        return (int) product;
    }

    /**
     * The two- and three-operand IMUL of {@code size} (1: 16 bits, 2: 32 bits): the product in the low half (a
     * 16-bit product whole, as the lazy flags keep it), CF and OF in the high half when it does not fit the size.
     * The translating tier writes the same IMUL with it.
     */
    public static long imulWithFlags(int size, int a, int b) {
        int res;
        boolean overflow;
        if (size == 2) {
            long wide = (long) a * b;
            res = (int) wide;
            overflow = wide != res;
        } else {
            res = (short) a * (short) b;
            overflow = res != (short) res;
        }
        return (res & 0xFFFFFFFFL) | (overflow ? (long) (Flags.CF | Flags.OF) << 32 : 0);
    }

    static final Exec IMUL_GE = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.setReg(i.size(), i.reg(), imul(c, i.size(), c.getReg(i.size(), i.reg()), c.readRm(i, i.size())));
        }
    };
    static final Exec IMUL_GEI = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            c.setReg(i.size(), i.reg(), imul(c, i.size(), c.readRm(i, i.size()), i.imm()));
        }
    };

    static final Exec DIV = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int v = c.readRm(i, i.size());
            if (v == 0) {
                throw CpuFault.divide();
            }
            switch (i.size()) {
                case 0: {
                    int n = c.r[Cpu.EAX] & 0xFFFF;
                    int q = n / v;
                    if (q > 0xFF) {
                        throw CpuFault.divide();
                    }
                    c.setReg(1, Cpu.EAX, ((n % v) << 8) | q);
                    break;
                }
                case 1: {
                    long n = ((c.r[Cpu.EDX] & 0xFFFFL) << 16) | (c.r[Cpu.EAX] & 0xFFFF);
                    long q = n / v;
                    if (q > 0xFFFF) {
                        throw CpuFault.divide();
                    }
                    c.setReg(1, Cpu.EAX, (int) q);
                    c.setReg(1, Cpu.EDX, (int) (n % v));
                    break;
                }
                default: {
                    long n = ((long) c.r[Cpu.EDX] << 32) | (c.r[Cpu.EAX] & 0xFFFFFFFFL);
                    long d = v & 0xFFFFFFFFL;
                    long q = Long.divideUnsigned(n, d);
                    if ((q >>> 32) != 0) {
                        throw CpuFault.divide();
                    }
                    c.r[Cpu.EAX] = (int) q;
                    c.r[Cpu.EDX] = (int) Long.remainderUnsigned(n, d);
                    break;
                }
            }
        }
    };

    static final Exec IDIV = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int v = c.readRm(i, i.size());
            if ((v & Cpu.MASK[i.size()]) == 0) {
                throw CpuFault.divide();
            }
            switch (i.size()) {
                case 0: {
                    int n = (short) c.r[Cpu.EAX];
                    int d = (byte) v;
                    int q = n / d;
                    if (q != (byte) q) {
                        throw CpuFault.divide();
                    }
                    c.setReg(1, Cpu.EAX, ((n % d) << 8) | (q & 0xFF));
                    break;
                }
                case 1: {
                    int n = (c.r[Cpu.EDX] << 16) | (c.r[Cpu.EAX] & 0xFFFF);
                    int d = (short) v;
                    long q = (long) n / d;
                    if (q != (short) q) {
                        throw CpuFault.divide();
                    }
                    c.setReg(1, Cpu.EAX, (int) q);
                    c.setReg(1, Cpu.EDX, (int) ((long) n % d));
                    break;
                }
                default: {
                    long n = ((long) c.r[Cpu.EDX] << 32) | (c.r[Cpu.EAX] & 0xFFFFFFFFL);
                    if (n == Long.MIN_VALUE && v == -1) {
                        throw CpuFault.divide();
                    }
                    long q = n / v;
                    if (q != (int) q) {
                        throw CpuFault.divide();
                    }
                    c.r[Cpu.EAX] = (int) q;
                    c.r[Cpu.EDX] = (int) (n % v);
                    break;
                }
            }
        }
    };

    public static void register(OpTable t) {
        t.group(0xF6, 4, BYTE, NO_IMM, MUL);
        t.group(0xF6, 5, BYTE, NO_IMM, IMUL1);
        t.group(0xF6, 6, BYTE, NO_IMM, DIV);
        t.group(0xF6, 7, BYTE, NO_IMM, IDIV);
        t.group(0xF7, 4, VAR, NO_IMM, MUL);
        t.group(0xF7, 5, VAR, NO_IMM, IMUL1);
        t.group(0xF7, 6, VAR, NO_IMM, DIV);
        t.group(0xF7, 7, VAR, NO_IMM, IDIV);
        t.op(0x69, true, VAR, IV, IMUL_GEI);
        t.op(0x6B, true, VAR, IBS, IMUL_GEI);
        t.op(0x1AF, true, VAR, NO_IMM, IMUL_GE);
    }
}
