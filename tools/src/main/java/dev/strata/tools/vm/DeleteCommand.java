package dev.strata.tools.vm;

import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.tools.StrataCommand;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code strata vm delete NAME}: unregisters the VM and deletes its folder; attached media stay. A VM whose settings
 * file is missing is only unregistered, its folder left for the user.
 */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a powered-off VM and its folder"
        + " (settings, snapshot diffs); attached media are kept.")
final class DeleteCommand extends StrataCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    protected int execute() throws Exception {
        VirtualMachines vms = vms();
        Path folder = vms.list().get(name);
        if (vms.delete(name) == VirtualMachines.Deletion.UNREGISTERED_FOLDER_KEPT) {
            out().println("VM '" + name + "' unregistered; its settings file was missing, so its folder " + folder
                    + " was left as it is (delete it by hand once nothing in it is needed)");
        } else {
            out().println("VM '" + name + "' deleted");
        }
        return 0;
    }
}
