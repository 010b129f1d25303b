package dev.strata.emulator.cpu.system;

import dev.strata.emulator.cpu.exception.CpuFault;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * The P6 family's machine-check architecture (CPUID MCE and MCA): MCG_CAP (179h) with five error-reporting banks
 * and MCG_CTL, MCG_STATUS (17Ah), MCG_CTL (17Bh), and each bank's CTL and STATUS (400h + 4i, 401h + 4i). An
 * emulated machine has no hardware errors, so every STATUS reads 0 (no valid error) and #MC is never raised; the
 * registers are there so an operating system sets them up as on a real Pentium II. The banks' ADDR and MISC
 * registers are not implemented, which the SDM allows while STATUS says they hold nothing: they raise #GP(0).
 */
@StateClass("dev.strata.emulator.cpu.system.MachineCheckArchitecture")
public final class MachineCheckArchitecture {

    public static final int MCG_CAP = 0x179, MCG_STATUS = 0x17A, MCG_CTL = 0x17B;
    public static final int BANK_BASE = 0x400;
    public static final int BANKS = 5;
    /** MCG_CAP: the bank count and MCG_CTL_P (bit 8), as a Pentium II reports them. */
    private static final long CAPABILITIES = BANKS | 1 << 8;

    @StateField("globalControl") private long globalControl;
    @StateField("globalStatus") private long globalStatus;
    @StateField("bankControl") private final long[] bankControl = new long[BANKS];

    /** Processor reset: MCG_STATUS clear (the controls keep their undefined reset value, 0 here). */
    public void reset() {
        globalControl = 0;
        globalStatus = 0;
        java.util.Arrays.fill(bankControl, 0);
    }

    /** True when {@code index} is one of the machine-check MSRs, implemented or not. */
    static boolean owns(int index) {
        return index == MCG_CAP || index == MCG_STATUS || index == MCG_CTL
                || (index >= BANK_BASE && index < BANK_BASE + 4 * BANKS);
    }

    long read(int index) {
        switch (index) {
            case MCG_CAP: return CAPABILITIES;
            case MCG_STATUS: return globalStatus;
            case MCG_CTL: return globalControl;
            default:
                int bank = (index - BANK_BASE) >>> 2;
                switch ((index - BANK_BASE) & 3) {
                    case 0: return bankControl[bank];
                    case 1: return 0; // no error logged: VAL clear
                    default: throw CpuFault.general(0); // ADDR and MISC are not implemented
                }
        }
    }

    void write(int index, long value) {
        switch (index) {
            case MCG_CAP: throw CpuFault.general(0); // read only
            case MCG_STATUS: globalStatus = value & 7; break; // RIPV, EIPV, MCIP
            case MCG_CTL: globalControl = value; break;
            default:
                int bank = (index - BANK_BASE) >>> 2;
                switch ((index - BANK_BASE) & 3) {
                    case 0: bankControl[bank] = value; break;
                    case 1:
                        if (value != 0) {
                            throw CpuFault.general(0); // software may only clear a bank's status
                        }
                        break;
                    default: throw CpuFault.general(0);
                }
        }
    }
}
