package dev.strata.tools.vm;

import dev.strata.emulator.vm.Attachment;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.emulator.vm.VmSettings;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.Medium;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code strata vm info NAME}: settings, drives with their media types, and the current snapshot. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show a VM's settings and drives.")
final class InfoCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws Exception {
        VirtualMachines vms = VirtualMachines.ofDefaultHome();
        VirtualMachine vm = vms.open(name);
        VmSettings s = vm.settings();
        MediaRegistry media = vms.media();
        System.out.println("Name:        " + s.name);
        System.out.println("UUID:        " + s.uuid);
        System.out.println("Folder:      " + vm.folder());
        System.out.println("State:       " + s.state.label());
        System.out.println("Memory:      " + s.memoryMb + " MB");
        System.out.println("Boot order:  " + s.bootOrder);
        if (s.kernel != null) {
            System.out.println("Kernel:      " + s.kernel + (s.initrd != null ? " initrd " + s.initrd : "")
                    + (s.append != null ? " append \"" + s.append + "\"" : ""));
        }
        System.out.println("Snapshot:    " + vm.currentSnapshot().map(n -> n.name + " (" + n.uuid + ")")
                .orElse("none") + (vm.allSnapshots().isEmpty() ? "" : ", " + vm.allSnapshots().size() + " in all"));
        if (s.pending != null) {
            System.out.println("Pending:     " + s.pending.kind + " " + s.pending.snapshotName);
        }
        for (Attachment a : s.attachments) {
            String type = media.find(a.medium).map(Medium::type).map(t -> t.cliName()).orElse("unregistered");
            System.out.printf("Drive:       %-10s %-4s %-12s %s%s%n", a.slot(), a.type, type, a.mediumPath,
                    a.current != null ? " (writes to " + a.current + ")" : "");
        }
        return 0;
    }
}
