package dev.strata.tools.medium;

import dev.strata.storage.media.LockMode;
import dev.strata.storage.media.Medium;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata medium resize}: grow a virtual disk, as VBoxManage modifymedium --resize and qemu-img resize do. */
@Command(name = "resize", mixinStandardHelpOptions = true, description = "Grow a disk image (VDI, VHD, qcow2, HDD, "
        + "raw) to a new size; the guest's partitions stay as they are. Shrinking is refused.")
final class ResizeCommand extends MediumSubcommand {
    @Parameters(paramLabel = "F", description = "The medium (path or UUID).")
    String medium;

    @Option(names = "--size", required = true, paramLabel = "SIZE", description = "The new size: MB, or with a unit "
            + "K, M, G or T (e.g. 20G).")
    String size;

    @Override
    int run(MediaSession s) throws Exception {
        long requested = Sizes.parse(size);
        Medium m = s.medium(medium);
        s.rules().checkResize(m);
        s.lock(m, LockMode.EXCLUSIVE);
        long old = m.logicalSize();
        long grown = s.backend().resize(m.path(), requested);
        Medium changed = m.withLogicalSize(grown);
        s.change(r -> r.update(changed));
        if (grown == old) {
            out().printf("%s: already %s; nothing changed%n", m.path(), Sizes.describe(grown));
        } else {
            out().printf("%s: resized from %s to %s%n", m.path(), Sizes.describe(old), Sizes.describe(grown));
        }
        return 0;
    }
}
