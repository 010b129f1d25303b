package dev.strata.tools.vm;

import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.emulator.vm.VmAttachments;
import dev.strata.storage.media.MediumType;
import dev.strata.tools.StrataCommand;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata vm attach NAME ...}: puts a medium in a drive slot (as VBoxManage storageattach). */
@Command(name = "attach", mixinStandardHelpOptions = true, description = "Attach a medium to a drive slot of a"
        + " powered-off VM, or empty the slot with --medium none.")
final class AttachCommand extends StrataCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--controller", required = true, paramLabel = "ide|sata|floppy")
    String controller;

    @Option(names = "--port", defaultValue = "0", paramLabel = "P", description = "IDE channel (0|1), SATA port"
            + " (0-5) or floppy drive (0|1)")
    int port;

    @Option(names = "--device", defaultValue = "0", paramLabel = "D", description = "IDE master 0 or slave 1;"
            + " always 0 on SATA and floppy")
    int device;

    @Option(names = "--type", required = true, paramLabel = "hdd|dvd|fdd")
    String type;

    @Option(names = "--medium", required = true, paramLabel = "FILE|none")
    String medium;

    @Option(names = "--mtype", paramLabel = "T", description = "set the medium's type: normal, writethrough,"
            + " shareable, immutable, multiattach, readonly")
    String mtype;

    @Override
    protected int execute() throws Exception {
        VirtualMachines vms = vms();
        VirtualMachine vm = vms.open(name);
        Path file = medium.equalsIgnoreCase("none") ? null : Path.of(medium);
        MediumType t = mtype == null ? null : MediumType.parse(mtype);
        String controller = this.controller.toLowerCase(Locale.ROOT); // VirtualBox users type "SATA"
        new VmAttachments(vms).attach(vm, controller, port, device, type.toLowerCase(Locale.ROOT), file, t);
        out().println(file == null ? "slot " + controller + " " + port + ":" + device + " emptied"
                : file + " attached to " + controller + " " + port + ":" + device);
        return 0;
    }
}
