package dev.strata.tools.vm;

import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code strata vm list}: every VM with its state and folder. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the VMs of the Strata home.")
final class ListCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        VirtualMachines vms = VirtualMachines.ofDefaultHome();
        for (Map.Entry<String, Path> e : vms.list().entrySet()) {
            String state;
            try {
                VirtualMachine vm = vms.open(e.getKey());
                state = vm.settings().state.label();
            } catch (IOException ex) {
                state = "Inaccessible (" + ex.getMessage() + ")";
            }
            System.out.printf("%-20s %-12s %s%n", e.getKey(), state, e.getValue());
        }
        return 0;
    }
}
