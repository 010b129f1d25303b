package dev.strata.emulator.cpu.system;

import dev.strata.emulator.cpu.Cpu;

/**
 * What CPUID answers: a "GenuineIntel" Pentium II (family 6, model 5, stepping 2) whose feature flags name only
 * what Strata implements. Leaf 0 gives the highest basic leaf (2) and the vendor, leaf 1 the signature and
 * features, leaf 2 the Pentium II's cache and TLB descriptors; any higher leaf, extended ones included, answers as
 * the highest basic leaf does, which is what Intel specifies for a processor without them.
 */
public final class ProcessorIdentity {

    /** Family 6, model 5, stepping 2: a Pentium II (Deschutes). */
    public static final int SIGNATURE = 0x0652;

    /** EDX feature bits of leaf 1. */
    public static final int FPU = 1, DE = 1 << 2, PSE = 1 << 3, TSC = 1 << 4, MSR = 1 << 5, MCE = 1 << 7, CX8 = 1 << 8,
            SEP = 1 << 11, PGE = 1 << 13, MCA = 1 << 14, CMOV = 1 << 15;

    /**
     * What this core implements: debugging extensions (CR4.DE), 4 MiB pages, RDTSC, RDMSR/WRMSR, the
     * machine-check exception and architecture (CR4.MCE, five banks that never log an error), CMPXCHG8B,
     * SYSENTER/SYSEXIT, global pages and CMOVcc; bit 0 (x87 FPU) is added while the FPU is fitted (see
     * {@link #features}). No APIC, MTRR, PAT or MMX is modelled, so none is reported.
     */
    public static final int FEATURES = DE | PSE | TSC | MSR | MCE | CX8 | SEP | PGE | MCA | CMOV;

    private static final int MAX_LEAF = 2;

    private ProcessorIdentity() {
    }

    /** Leaf 1 EDX: {@link #FEATURES}, plus the FPU unless the machine runs without a coprocessor. */
    public static int features(Cpu c) {
        return c.fpu.present ? FEATURES | FPU : FEATURES;
    }

    /** Runs CPUID for the leaf in EAX, writing EAX, EBX, ECX and EDX. */
    public static void cpuid(Cpu c) {
        int[] r = c.r;
        int leaf = r[Cpu.EAX];
        if (Integer.compareUnsigned(leaf, MAX_LEAF) > 0) {
            leaf = MAX_LEAF;
        }
        switch (leaf) {
            case 0:
                r[Cpu.EAX] = MAX_LEAF;
                r[Cpu.EBX] = 0x756E6547; // "Genu"
                r[Cpu.EDX] = 0x49656E69; // "ineI"
                r[Cpu.ECX] = 0x6C65746E; // "ntel"
                break;
            case 1:
                r[Cpu.EAX] = SIGNATURE;
                r[Cpu.EBX] = 0;
                r[Cpu.ECX] = 0;
                r[Cpu.EDX] = features(c);
                break;
            default:
                // one CPUID(2) call suffices (AL = 1); descriptors: 4K/4M instruction and data TLBs, 16 KiB L1
                // instruction and data caches, 512 KiB L2: a Pentium II's answer
                r[Cpu.EAX] = 0x03020101;
                r[Cpu.EBX] = 0;
                r[Cpu.ECX] = 0;
                r[Cpu.EDX] = 0x0C040843;
                break;
        }
    }
}
