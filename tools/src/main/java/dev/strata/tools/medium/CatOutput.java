package dev.strata.tools.medium;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.Medium;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where {@code strata medium cat --output} writes: never over a disk image (of the chain being read, registered,
 * or any file that looks like one), and a regular file only as a whole, through a temporary file renamed over
 * it at the end, so a failure leaves the old file as it was.
 */
final class CatOutput implements AutoCloseable {
    /** Names that mark a disk image even when its content cannot tell (raw disks and CD images). */
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("vdi", "vmdk", "vhd", "vhdx", "hdd", "qcow", "qcow2",
            "qed", "img", "ima", "iso", "raw", "dsk");

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final OutputStream stream;
    private boolean done;

    private CatOutput(Path target, Path temp, FileChannel channel, OutputStream stream) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        this.stream = stream;
    }

    /**
     * Checks {@code output} against the chain being read and the registry, then opens it for writing.
     *
     * @param chain the media whose bytes are read (top first)
     */
    static CatOutput open(Path output, List<Medium> chain, MediaRegistry registry) throws IOException {
        Path file = real(output);
        for (Medium m : chain) {
            if (real(m.path()).equals(file)) {
                throw refused(file, "is an image of the chain being read (" + chain.get(0).fileName() + "); writing "
                        + "the bytes there would destroy them");
            }
        }
        if (registry.findByPath(file).isPresent()) {
            throw refused(file, "is a registered medium (UUID " + registry.findByPath(file).get().uuid() + ")");
        }
        if (Files.isDirectory(file)) {
            throw new StorageException(file, "--output is a directory; give a file name");
        }
        if (!Files.exists(file) || !Files.isRegularFile(file)) {
            if (Files.exists(file)) {
                // a device or pipe (/dev/null, a FIFO): nothing to keep whole, write straight through
                OutputStream s = Files.newOutputStream(file, StandardOpenOption.WRITE);
                return new CatOutput(file, null, null, s);
            }
        } else {
            String kind = imageKind(file);
            if (kind != null) {
                throw refused(file, "is a disk image (" + kind + ")");
            }
        }
        Path dir = file.getParent();
        Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".tmp-", "");
        FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE);
        return new CatOutput(file, temp, ch, Channels.newOutputStream(ch));
    }

    OutputStream stream() {
        return stream;
    }

    /** Makes the written bytes the file's content: forced to disk and renamed over the target. */
    void commit() throws IOException {
        stream.flush();
        if (temp != null) {
            channel.force(true);
            channel.close();
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } else {
            stream.close();
        }
        done = true;
    }

    /** Without {@link #commit()}, throws the temporary file away and leaves the target as it was. */
    @Override
    public void close() throws IOException {
        if (!done) {
            try {
                stream.close();
            } finally {
                if (temp != null) {
                    Files.deleteIfExists(temp);
                }
            }
        }
    }

    /** What kind of disk image {@code file} is, by content or name, or null when it looks like none. */
    private static String imageKind(Path file) throws IOException {
        long length = Files.size(file);
        if (length > 0) {
            try {
                ImageFormat format = DiskImages.detect(file);
                if (format != ImageFormat.RAW) {
                    return format.toString();
                }
            } catch (StorageException e) {
                if (length % 512 == 0) {
                    return "a format Strata does not open"; // detect refuses only foreign formats at this length
                }
            }
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        if (dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1)) && length > 0) {
            return "by its name";
        }
        return null;
    }

    private static StorageException refused(Path file, String why) {
        return new StorageException(file, "--output " + why + "; `strata medium cat` never writes over a disk image: "
                + "give a new file name (to copy a disk, use `strata medium clone`)");
    }

    private static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return Files.exists(abs) ? abs.toRealPath() : abs;
        } catch (IOException e) {
            return abs;
        }
    }
}
