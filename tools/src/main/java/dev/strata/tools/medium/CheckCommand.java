package dev.strata.tools.medium;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.media.ImageLock;
import dev.strata.storage.media.LockMode;
import dev.strata.storage.media.MediaRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata medium check}: a structural check of one image file and of its link to its parent; exit 1 when it is
 * damaged.
 */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Check an image file's structure; exit 1 naming the field and offset on "
        + "corruption.")
final class CheckCommand extends MediumSubcommand {
    @Parameters(paramLabel = "F", description = "The image (path or UUID); it need not be registered.")
    String medium;

    @Option(names = "--repair", description = "First fix what is safely repairable (space left by an interrupted "
            + "write, a lagging block count); the image must not be in use.")
    boolean repair;

    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    @Override
    int run(MediaSession s) throws Exception {
        Path file = MediaRegistry.parseUuid(medium) != null ? s.registry().lookup(medium).path()
                : Path.of(medium).toAbsolutePath().normalize();
        if (!Files.exists(file)) {
            throw new StorageException(file, "no such image file; check the path");
        }
        // a file Strata cannot read, or that is no file at all, is not "damaged": say what it is
        DiskImages.requireImageFile(file);
        List<MediumBackend.CheckFinding> findings;
        try (ImageLock lock = ImageLock.acquire(file, repair ? LockMode.EXCLUSIVE : LockMode.SHARED)) {
            if (repair) {
                List<MediumBackend.CheckFinding> fixed = s.backend().repair(file);
                for (MediumBackend.CheckFinding f : fixed) {
                    out().println(file + ": repaired: " + f.text());
                }
                if (fixed.isEmpty()) {
                    out().println(file + ": nothing to repair");
                }
            }
            findings = s.backend().check(file, s.parents(), TerminalProgress.forTask("Checking"));
        }
        MediumBackend.CheckFinding firstError = null;
        for (MediumBackend.CheckFinding f : findings) {
            out().println(file + ": " + f.text());
            if (f.error() && firstError == null) {
                firstError = f;
            }
        }
        if (firstError != null) {
            long errors = findings.stream().filter(MediumBackend.CheckFinding::error).count();
            out().flush();
            throw new StorageException(file, "is damaged: " + firstError.text() + (errors > 1 ? " (and " + (errors - 1)
                    + " more error(s) above)" : ""));
        }
        out().println(file + ": no errors found");
        return 0;
    }
}
