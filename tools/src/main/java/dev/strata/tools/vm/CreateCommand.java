package dev.strata.tools.vm;

import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.tools.StrataCommand;
import dev.strata.tools.run.KernelUnpacker;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata vm create NAME}: a new powered-off VM with no drives, optionally booting a Linux kernel directly. */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Create a VM (a folder with vm.json).")
final class CreateCommand extends StrataCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--memory", paramLabel = "MB", defaultValue = "32", description = "RAM in MB (default 32)")
    int memoryMb;

    @Option(names = "--basefolder", paramLabel = "DIR", description = "put the VM folder in DIR instead of"
            + " <strata home>/vms")
    Path baseFolder;

    @Option(names = "--kernel", paramLabel = "BZIMAGE", description = "boot this Linux kernel directly instead of"
            + " a drive (as strata run --kernel)")
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE", description = "initial RAM disk for --kernel")
    Path initrd;

    @Option(names = "--append", paramLabel = "CMDLINE", description = "kernel command line for --kernel")
    String append;

    @Option(names = "--kernel-unpack", paramLabel = "WHO", description = KernelUnpacker.HELP)
    KernelUnpacker kernelUnpack;

    @Override
    protected int execute() throws Exception {
        if (kernel == null && (initrd != null || append != null || kernelUnpack != null)) {
            throw new IllegalArgumentException((initrd != null ? "--initrd" : append != null ? "--append"
                    : "--kernel-unpack") + " needs --kernel");
        }
        String kernelFile = kernel == null ? null : existing(kernel, "--kernel");
        String initrdFile = initrd == null ? null : existing(initrd, "--initrd");
        VirtualMachine vm = vms().create(name, memoryMb, baseFolder);
        if (kernelFile != null) {
            vm.settings().kernel = kernelFile;
            vm.settings().initrd = initrdFile;
            vm.settings().append = append;
            // only the non-default is written, so the settings of most VMs stay as older Stratas wrote them
            vm.settings().kernelUnpack = kernelUnpack == KernelUnpacker.guest ? KernelUnpacker.guest.name() : null;
            vm.save();
        }
        out().println("VM '" + vm.name() + "' created: " + vm.settingsFile() + " (UUID " + vm.settings().uuid
                + ")");
        return 0;
    }

    /** The absolute path of an existing file, so the VM finds it from any working directory. */
    private static String existing(Path file, String option) throws java.nio.file.NoSuchFileException {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, option + ": no such file");
        }
        return file.toAbsolutePath().normalize().toString();
    }
}
