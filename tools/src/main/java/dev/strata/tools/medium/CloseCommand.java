package dev.strata.tools.medium;

import dev.strata.storage.image.DiskImages;
import dev.strata.storage.media.ImageLock;
import dev.strata.storage.media.Medium;
import java.nio.file.Files;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata medium close}: forgets a medium, and with --delete removes its file too. */
@Command(name = "close", mixinStandardHelpOptions = true, description = "Unregister a medium (refused while it has registered children, a VM uses it"
        + " or another process has it open); --delete also deletes the file.")
final class CloseCommand extends MediumSubcommand {
    @Parameters(paramLabel = "F", description = "The registered medium (path or UUID).")
    String medium;

    @Option(names = "--delete", description = "Delete the image file as well.")
    boolean delete;

    @Override
    int run(MediaSession s) throws Exception {
        Medium m = s.registry().lookup(medium);
        s.rules().checkClose(m, delete);
        boolean deleted = false;
        if (Files.exists(m.path())) {
            // nobody may have it open: a process writing it would go on with a medium the registry forgot
            s.lockAgainstOthers(m);
        }
        if (delete && Files.exists(m.path())) {
            DiskImages.delete(m.path(), m.format());
            deleted = true;
        }
        s.change(r -> r.unregister(m.uuid()));
        if (deleted) {
            Files.deleteIfExists(ImageLock.lockFile(m.path()));
        }
        out().printf("Closed %s (UUID %s)%s%n", m.path(), m.uuid(), deleted ? "; file deleted" : "");
        return 0;
    }
}
