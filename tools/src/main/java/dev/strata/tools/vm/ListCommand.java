package dev.strata.tools.vm;

import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.tools.StrataCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code strata vm list}: every VM with its state and folder. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the VMs of the Strata home.")
final class ListCommand extends StrataCommand {
    @Override
    protected int execute() throws Exception {
        VirtualMachines vms = vms();
        for (Map.Entry<String, Path> e : vms.list().entrySet()) {
            String state;
            try {
                VirtualMachine vm = vms.open(e.getKey());
                state = vm.settings().state.label();
            } catch (IOException ex) {
                state = "Inaccessible (" + ex.getMessage() + ")";
            }
            out().printf("%-20s %-12s %s%n", e.getKey(), state, e.getValue());
        }
        return 0;
    }
}
