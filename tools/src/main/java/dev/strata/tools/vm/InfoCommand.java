package dev.strata.tools.vm;

import dev.strata.emulator.vm.Attachment;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.emulator.vm.VmSettings;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.Medium;
import dev.strata.tools.StrataCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code strata vm info NAME}: settings, drives with their media types, and the current snapshot. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show a VM's settings and drives.")
final class InfoCommand extends StrataCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    protected int execute() throws Exception {
        VirtualMachines vms = vms();
        PrintWriter out = out();
        VirtualMachine vm = vms.open(name);
        VmSettings s = vm.settings();
        MediaRegistry media = vms.media();
        out.println("Name:        " + s.name);
        out.println("UUID:        " + s.uuid);
        out.println("Folder:      " + vm.folder());
        out.println("State:       " + s.state.label());
        out.println("Memory:      " + s.memoryMb + " MB");
        out.println("Boot order:  " + s.bootOrder);
        if (s.kernel != null) {
            out.println("Kernel:      " + s.kernel + (s.initrd != null ? " initrd " + s.initrd : "")
                    + (s.append != null ? " append \"" + s.append + "\"" : "")
                    + ("guest".equals(s.kernelUnpack) ? " (unpacked by its own decompressor)" : ""));
        }
        out.println("Snapshot:    " + vm.currentSnapshot().map(n -> n.name + " (" + n.uuid + ")")
                .orElse("none") + (vm.allSnapshots().isEmpty() ? "" : ", " + vm.allSnapshots().size() + " in all"));
        if (s.pending != null) {
            out.println("Pending:     " + s.pending.kind + " " + s.pending.snapshotName);
        }
        for (Attachment a : s.attachments) {
            String type = media.find(a.medium).map(Medium::type).map(t -> t.cliName()).orElse("unregistered");
            out.printf("Drive:       %-10s %-4s %-12s %s%s%n", a.slot(), a.type, type, a.mediumPath,
                    a.current != null ? " (writes to " + a.current + ")" : "");
        }
        return 0;
    }
}
