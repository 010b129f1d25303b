package dev.strata.emulator.cpu.system;

import dev.strata.emulator.cpu.exception.CpuFault;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;

/**
 * The model-specific registers RDMSR and WRMSR reach on Strata's Pentium II: the time-stamp counter (10h), the
 * platform ID (17h, read only), the microcode update signature (8Bh, no update loaded) and the SYSENTER target
 * (174h-176h), the two performance counters with their event selects (C1h-C2h, 186h-187h) and the machine-check
 * registers (179h-17Bh, 400h-413h). Any other index raises #GP(0), as the SDM specifies for a reserved or
 * unimplemented MSR.
 */
@StateClass("dev.strata.emulator.cpu.system.ModelSpecificRegisters")
public final class ModelSpecificRegisters {

    public static final int TSC = 0x10;
    /** IA32_PLATFORM_ID: bits 52:50 say which processor flag microcode updates must match; read only. */
    public static final int PLATFORM_ID = 0x17;
    public static final int BIOS_SIGN_ID = 0x8B;
    public static final int SYSENTER_CS = 0x174;
    public static final int SYSENTER_ESP = 0x175;
    public static final int SYSENTER_EIP = 0x176;

    @StateField("tsc") public final TimeStampCounter tsc;
    @StateField("counters") public final PerformanceCounters counters;
    @StateField("machineCheck") public final MachineCheckArchitecture machineCheck = new MachineCheckArchitecture();
    /** IA32_SYSENTER_CS: SYSENTER's code selector; SS is CS + 8, SYSEXIT's CS and SS are CS + 16 and CS + 24. */
    @StateField("sysenterCs") public int sysenterCs;
    @StateField("sysenterEsp") public int sysenterEsp;
    @StateField("sysenterEip") public int sysenterEip;

    public ModelSpecificRegisters(TimeStampCounter tsc, PerformanceCounters counters) {
        this.tsc = tsc;
        this.counters = counters;
    }

    /** Processor reset: the counters restart from 0 and SYSENTER is unconfigured. */
    public void reset() {
        tsc.write(0);
        counters.reset();
        machineCheck.reset();
        sysenterCs = 0;
        sysenterEsp = 0;
        sysenterEip = 0;
    }

    /** RDMSR: the 64-bit value of MSR {@code index}. */
    public long read(int index) {
        switch (index) {
            case TSC: return tsc.read();
            case PLATFORM_ID: return 0; // platform 0 in bits 52:50, the other bits reserved
            case BIOS_SIGN_ID: return 0; // revision 0 in EDX: no microcode update loaded
            case SYSENTER_CS: return sysenterCs & 0xFFFFFFFFL;
            case SYSENTER_ESP: return sysenterEsp & 0xFFFFFFFFL;
            case SYSENTER_EIP: return sysenterEip & 0xFFFFFFFFL;
            default:
                if (MachineCheckArchitecture.owns(index)) {
                    return machineCheck.read(index);
                }
                long v = counters.read(index);
                if (v < 0) {
                    throw CpuFault.general(0);
                }
                return v;
        }
    }

    /** WRMSR: sets MSR {@code index} to {@code value}. */
    public void write(int index, long value) {
        switch (index) {
            case TSC: tsc.write(value & 0xFFFFFFFFL); break; // a P6 writes the low half and clears the high
            case BIOS_SIGN_ID: break; // writing 0 asks the processor to refresh the signature; there is none
            case SYSENTER_CS: sysenterCs = (int) value; break;
            case SYSENTER_ESP: sysenterEsp = (int) value; break;
            case SYSENTER_EIP: sysenterEip = (int) value; break;
            default:
                if (MachineCheckArchitecture.owns(index)) {
                    machineCheck.write(index, value);
                } else if (!counters.write(index, value)) {
                    throw CpuFault.general(0); // includes PLATFORM_ID: a read-only MSR faults on WRMSR
                }
        }
    }
}
