package dev.strata.tools.vm;

import dev.strata.emulator.vm.VirtualMachines;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code strata vm delete NAME}: unregisters the VM and deletes its folder; attached media stay. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a powered-off VM and its folder"
        + " (settings, snapshot diffs); attached media are kept.")
final class DeleteCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws Exception {
        VirtualMachines.ofDefaultHome().delete(name);
        System.out.println("VM '" + name + "' deleted");
        return 0;
    }
}
