package dev.strata.tools.medium;

import dev.strata.storage.media.LockMode;
import dev.strata.storage.media.Medium;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code strata medium compact}: give back the space of all-zero blocks, as VBoxManage modifymedium --compact does. */
@Command(name = "compact", mixinStandardHelpOptions = true, description = "Drop the blocks of a dynamic VDI, VHD or "
        + "Parallels disk, the clusters of a qcow2 or the grains of a sparse VMDK that hold only zeros and shrink its "
        + "file; every sector reads as before.")
final class CompactCommand extends MediumSubcommand {
    @Parameters(paramLabel = "F", description = "The medium (path or UUID).")
    String medium;

    @Override
    int run(MediaSession s) throws Exception {
        Medium m = s.medium(medium);
        s.rules().checkCompact(m);
        s.lock(m, LockMode.EXCLUSIVE);
        long saved = s.backend().compact(m.path(), TerminalProgress.forTask("Compacting"));
        out().printf("%s: compacted, %s given back%n", m.path(), Sizes.describe(saved));
        return 0;
    }
}
