package dev.strata.vm.scenario;

import dev.strata.emulator.vm.VirtualMachines;

/**
 * How scenarios run: the Strata home whose VMs a {@code machine: {vm: NAME}} names, and whether screen compares
 * (re)write their expected pictures from the run instead of checking them.
 */
public record ScenarioOptions(VirtualMachines vms, boolean updateScreens) {

    /** The default home ({@code $STRATA_HOME}, else {@code ~/.strata}), checking screens. */
    public static ScenarioOptions defaults() {
        return new ScenarioOptions(VirtualMachines.ofDefaultHome(), false);
    }

    public ScenarioOptions updatingScreens(boolean update) {
        return new ScenarioOptions(vms, update);
    }
}
