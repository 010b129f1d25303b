package dev.strata.vm.scenario;

/** What a scenario boots: drive images ({@link MachineSpec}) or a registered VM ({@link VmSpec}). */
public sealed interface MachineSource permits MachineSpec, VmSpec {

    /** How the machine reads in reports, e.g. {@code vm dos}. */
    String describe();
}
