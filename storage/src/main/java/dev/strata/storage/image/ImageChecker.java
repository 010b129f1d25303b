package dev.strata.storage.image;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFinding.Severity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The structural check behind {@code strata medium check}: reads an image file without changing it and lists
 * every problem found, from fatal ones (the image will not open) to warnings (harmless or repairable).
 */
public final class ImageChecker {

    private static final Logger LOG = LoggerFactory.getLogger(ImageChecker.class);

    private ImageChecker() {
    }

    /** Checks the file at {@code path}; never throws for a damaged image, only lists findings. */
    public static List<ImageFinding> check(Path path) {
        List<ImageFinding> out = new ArrayList<>();
        ImageDriver driver;
        try {
            driver = ImageDrivers.detect(path);
        } catch (IOException e) {
            out.add(new ImageFinding(Severity.ERROR, "format", -1, message(path, e)));
            return out;
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            out.addAll(driver.check(path, ch));
        } catch (IOException e) {
            out.add(new ImageFinding(Severity.ERROR, "file", -1, message(path, e)));
        }
        return out;
    }

    /**
     * Repairs what an interrupted write leaves in an image, and nothing else (what that is, each format's driver
     * says). Refuses a file with errors (those need a backup, not a repair). Returns what it did as INFO findings;
     * an empty list means nothing needed repair. The image must not be open elsewhere.
     */
    public static List<ImageFinding> repair(Path path) throws IOException {
        List<ImageFinding> done = ImageDrivers.detect(path).repair(path);
        done.forEach(f -> LOG.info("repaired {}: {}", path, f.describe()));
        return done;
    }

    /** True when any finding is an error (the CLI then exits non-zero). */
    public static boolean hasErrors(List<ImageFinding> findings) {
        return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
    }

    private static String message(Path path, IOException e) {
        if (e instanceof StorageException) {
            String m = e.getMessage();
            String prefix = path + ": ";
            return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
        }
        return "cannot read the file: " + e;
    }
}
