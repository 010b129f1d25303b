package dev.strata.tools.vm;

import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata vm create NAME}: a new powered-off VM with no drives. */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Create a VM (a folder with vm.json).")
final class CreateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--memory", paramLabel = "MB", defaultValue = "32", description = "RAM in MB (default 32)")
    int memoryMb;

    @Option(names = "--basefolder", paramLabel = "DIR", description = "put the VM folder in DIR instead of"
            + " <strata home>/vms")
    Path baseFolder;

    @Override
    public Integer call() throws Exception {
        VirtualMachine vm = VirtualMachines.ofDefaultHome().create(name, memoryMb, baseFolder);
        System.out.println("VM '" + vm.name() + "' created: " + vm.settingsFile() + " (UUID " + vm.settings().uuid
                + ")");
        return 0;
    }
}
