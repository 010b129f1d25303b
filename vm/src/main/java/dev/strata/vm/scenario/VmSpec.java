package dev.strata.vm.scenario;

/**
 * A registered VM as a scenario's machine: its drives, media types, memory and boot order.
 *
 * @param name    the VM's name
 * @param persist true when the run writes the VM's own disks and may take and restore its snapshots; false runs
 *                it over a throwaway write layer and leaves the VM as it was
 */
public record VmSpec(String name, boolean persist) implements MachineSource {
    @Override
    public String describe() {
        return "vm " + name + (persist ? " (persist)" : "");
    }
}
