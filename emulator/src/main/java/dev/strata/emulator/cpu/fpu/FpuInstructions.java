package dev.strata.emulator.cpu.fpu;

import static dev.strata.emulator.cpu.decode.OpSpec.BYTE;
import static dev.strata.emulator.cpu.decode.OpSpec.NO_IMM;
import static dev.strata.emulator.cpu.decode.OpSpec.VAR;

import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.OpSpec;
import dev.strata.emulator.cpu.decode.OpTable;

/**
 * Fills the escape opcodes D8-DF and WAIT (9B) of the opcode map: memory forms by ModRM reg, register forms by
 * the ModRM's low six bits. Encodings Intel leaves undefined (and FISTTP, which is SSE3) raise #UD.
 */
public final class FpuInstructions {

    private FpuInstructions() {
    }

    private static final int[] ARITH_M = {FpuArithmetic.M32, -1, FpuArithmetic.I32, -1, FpuArithmetic.M64, -1,
        FpuArithmetic.I16, -1};

    public static void register(OpTable t) {
        t.op(0x9B, false, BYTE, NO_IMM, FpuControl.WAIT);
        for (int esc = 0; esc < 8; esc++) {
            OpSpec g = new OpSpec(true, VAR, NO_IMM, null);
            g.group = new OpSpec[8];
            g.registerForms = new OpSpec[64];
            t.put(0xD8 + esc, g);
        }
        // D8/DC/DA/DE memory: arithmetic and compare with m32real, m64real, m32int, m16int
        for (int esc : new int[] {0, 4, 2, 6}) {
            for (int reg = 0; reg < 8; reg++) {
                mem(t, esc, reg, new FpuArithmetic.ArithMemory(reg, ARITH_M[esc]));
            }
        }
        for (int i = 0; i < 8; i++) {
            for (int reg : new int[] {0, 1, 4, 5, 6, 7}) {
                reg(t, 0, reg, i, new FpuArithmetic.ArithRegister(reg, false, false));
                int swapped = reg >= 4 ? reg ^ 1 : reg;
                reg(t, 4, reg, i, new FpuArithmetic.ArithRegister(swapped, true, false));
                reg(t, 6, reg, i, new FpuArithmetic.ArithRegister(swapped, true, true));
            }
            reg(t, 0, 2, i, new FpuArithmetic.CompareRegister(false, 0, -1));
            reg(t, 0, 3, i, new FpuArithmetic.CompareRegister(false, 1, -1));
            reg(t, 4, 2, i, new FpuArithmetic.CompareRegister(false, 0, -1)); // aliases of FCOM/FCOMP
            reg(t, 4, 3, i, new FpuArithmetic.CompareRegister(false, 1, -1));
            reg(t, 6, 2, i, new FpuArithmetic.CompareRegister(false, 1, -1));
            reg(t, 5, 4, i, new FpuArithmetic.CompareRegister(true, 0, -1)); // FUCOM
            reg(t, 5, 5, i, new FpuArithmetic.CompareRegister(true, 1, -1)); // FUCOMP
            reg(t, 3, 5, i, new FpuArithmetic.CompareToFlags(true, false)); // FUCOMI
            reg(t, 3, 6, i, new FpuArithmetic.CompareToFlags(false, false)); // FCOMI
            reg(t, 7, 5, i, new FpuArithmetic.CompareToFlags(true, true)); // FUCOMIP
            reg(t, 7, 6, i, new FpuArithmetic.CompareToFlags(false, true)); // FCOMIP

            reg(t, 1, 0, i, FpuTransfer.LOAD_REGISTER);
            reg(t, 1, 1, i, FpuTransfer.EXCHANGE);
            reg(t, 5, 1, i, FpuTransfer.EXCHANGE); // aliases
            reg(t, 7, 1, i, FpuTransfer.EXCHANGE);
            reg(t, 5, 2, i, new FpuTransfer.StoreRegister(false));
            reg(t, 5, 3, i, new FpuTransfer.StoreRegister(true));
            reg(t, 1, 3, i, new FpuTransfer.StoreRegister(true)); // aliases of FSTP
            reg(t, 7, 2, i, new FpuTransfer.StoreRegister(true));
            reg(t, 7, 3, i, new FpuTransfer.StoreRegister(true));
            reg(t, 5, 0, i, new FpuTransfer.Free(false));
            reg(t, 7, 0, i, new FpuTransfer.Free(true)); // FFREEP
            // FCMOVB/E/BE/U and their negations: condition codes as Jcc numbers them
            reg(t, 2, 0, i, new FpuTransfer.ConditionalMove(0x2));
            reg(t, 2, 1, i, new FpuTransfer.ConditionalMove(0x4));
            reg(t, 2, 2, i, new FpuTransfer.ConditionalMove(0x6));
            reg(t, 2, 3, i, new FpuTransfer.ConditionalMove(0xA));
            reg(t, 3, 0, i, new FpuTransfer.ConditionalMove(0x3));
            reg(t, 3, 1, i, new FpuTransfer.ConditionalMove(0x5));
            reg(t, 3, 2, i, new FpuTransfer.ConditionalMove(0x7));
            reg(t, 3, 3, i, new FpuTransfer.ConditionalMove(0xB));
        }
        reg(t, 6, 3, 1, new FpuArithmetic.CompareRegister(false, 2, 1)); // FCOMPP
        reg(t, 2, 5, 1, new FpuArithmetic.CompareRegister(true, 2, 1)); // FUCOMPP

        mem(t, 1, 0, new FpuTransfer.Load(FpuTransfer.M32));
        mem(t, 1, 2, new FpuTransfer.Store(FpuTransfer.M32, false));
        mem(t, 1, 3, new FpuTransfer.Store(FpuTransfer.M32, true));
        mem(t, 1, 4, FpuControl.LOAD_ENVIRONMENT);
        mem(t, 1, 5, FpuControl.LOAD_CONTROL);
        mem(t, 1, 6, FpuControl.STORE_ENVIRONMENT);
        mem(t, 1, 7, FpuControl.STORE_CONTROL);
        mem(t, 3, 0, new FpuTransfer.Load(FpuTransfer.I32));
        mem(t, 3, 2, new FpuTransfer.Store(FpuTransfer.I32, false));
        mem(t, 3, 3, new FpuTransfer.Store(FpuTransfer.I32, true));
        mem(t, 3, 5, new FpuTransfer.Load(FpuTransfer.M80));
        mem(t, 3, 7, new FpuTransfer.Store(FpuTransfer.M80, true));
        mem(t, 5, 0, new FpuTransfer.Load(FpuTransfer.M64));
        mem(t, 5, 2, new FpuTransfer.Store(FpuTransfer.M64, false));
        mem(t, 5, 3, new FpuTransfer.Store(FpuTransfer.M64, true));
        mem(t, 5, 4, FpuControl.RESTORE);
        mem(t, 5, 6, FpuControl.SAVE);
        mem(t, 5, 7, FpuControl.STORE_STATUS);
        mem(t, 7, 0, new FpuTransfer.Load(FpuTransfer.I16));
        mem(t, 7, 2, new FpuTransfer.Store(FpuTransfer.I16, false));
        mem(t, 7, 3, new FpuTransfer.Store(FpuTransfer.I16, true));
        mem(t, 7, 4, new FpuTransfer.Load(FpuTransfer.BCD));
        mem(t, 7, 5, new FpuTransfer.Load(FpuTransfer.I64));
        mem(t, 7, 6, new FpuTransfer.Store(FpuTransfer.BCD, true));
        mem(t, 7, 7, new FpuTransfer.Store(FpuTransfer.I64, true));

        reg(t, 1, 2, 0, FpuControl.NOP); // FNOP
        reg(t, 1, 4, 0, new FpuTransfer.Sign(false)); // FCHS
        reg(t, 1, 4, 1, new FpuTransfer.Sign(true)); // FABS
        reg(t, 1, 4, 4, FpuArithmetic.FTST);
        reg(t, 1, 4, 5, FpuFunctions.EXAMINE);
        reg(t, 1, 5, 0, new FpuTransfer.Constant(0x3FFF, 0x8000000000000000L, false, false)); // 1
        reg(t, 1, 5, 1, new FpuTransfer.Constant(0x4000, 0xD49A784BCD1B8AFEL, false, true)); // log2(10)
        reg(t, 1, 5, 2, new FpuTransfer.Constant(0x3FFF, 0xB8AA3B295C17F0BBL, true, true)); // log2(e)
        reg(t, 1, 5, 3, new FpuTransfer.Constant(0x4000, 0xC90FDAA22168C234L, true, true)); // pi
        reg(t, 1, 5, 4, new FpuTransfer.Constant(0x3FFD, 0x9A209A84FBCFF798L, true, true)); // log10(2)
        reg(t, 1, 5, 5, new FpuTransfer.Constant(0x3FFE, 0xB17217F7D1CF79ABL, true, true)); // ln(2)
        reg(t, 1, 5, 6, new FpuTransfer.Constant(0, 0, false, false)); // +0
        reg(t, 1, 6, 0, FpuTranscendental.F2XM1);
        reg(t, 1, 6, 1, FpuTranscendental.FYL2X);
        reg(t, 1, 6, 2, FpuTranscendental.FPTAN);
        reg(t, 1, 6, 3, FpuTranscendental.FPATAN);
        reg(t, 1, 6, 4, FpuFunctions.EXTRACT);
        reg(t, 1, 6, 5, new FpuFunctions.Remainder(true));
        reg(t, 1, 6, 6, new FpuTransfer.MoveTop(7)); // FDECSTP
        reg(t, 1, 6, 7, new FpuTransfer.MoveTop(1)); // FINCSTP
        reg(t, 1, 7, 0, new FpuFunctions.Remainder(false));
        reg(t, 1, 7, 1, FpuTranscendental.FYL2XP1);
        reg(t, 1, 7, 2, FpuFunctions.SQRT);
        reg(t, 1, 7, 3, FpuTranscendental.FSINCOS);
        reg(t, 1, 7, 4, FpuFunctions.ROUND);
        reg(t, 1, 7, 5, FpuFunctions.SCALE);
        reg(t, 1, 7, 6, FpuTranscendental.FSIN);
        reg(t, 1, 7, 7, FpuTranscendental.FCOS);
        reg(t, 3, 4, 0, FpuControl.IGNORED); // FENI
        reg(t, 3, 4, 1, FpuControl.IGNORED); // FDISI
        reg(t, 3, 4, 2, FpuControl.CLEAR_EXCEPTIONS);
        reg(t, 3, 4, 3, FpuControl.INIT);
        reg(t, 3, 4, 4, FpuControl.IGNORED); // FSETPM
        reg(t, 7, 4, 0, FpuControl.STORE_STATUS_AX);
    }

    private static void mem(OpTable t, int esc, int reg, Exec e) {
        t.putGroup(0xD8 + esc, reg, new OpSpec(true, VAR, NO_IMM, e).memOnly());
    }

    private static void reg(OpTable t, int esc, int reg, int i, Exec e) {
        t.putRegisterForm(0xD8 + esc, reg << 3 | i, new OpSpec(true, VAR, NO_IMM, e));
    }
}
