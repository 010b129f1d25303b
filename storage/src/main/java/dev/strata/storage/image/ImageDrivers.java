package dev.strata.storage.image;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.parallels.ParallelsDriver;
import dev.strata.storage.image.qcow2.Qcow2Driver;
import dev.strata.storage.image.vhd.VhdDriver;
import dev.strata.storage.image.vmdk.VmdkDriver;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one place image formats are registered: the driver of each format Strata opens, and format detection by
 * asking every driver's probe. Adding a format is adding its driver here.
 */
public final class ImageDrivers {

    private static final List<ImageDriver> DRIVERS = List.of(new VdiDriver(), new VmdkDriver(), new VhdDriver(),
            new ParallelsDriver(), new Qcow2Driver(), new RawDriver());

    private ImageDrivers() {
    }

    /** Every registered driver. */
    public static List<ImageDriver> all() {
        return DRIVERS;
    }

    /** The extensions of every registered format's files (see {@link ImageDriver#extensions}). */
    public static Set<String> extensions() {
        return extensions(false);
    }

    /** The extensions of the files of formats with differencing images: where children can be. */
    public static Set<String> childExtensions() {
        return extensions(true);
    }

    private static Set<String> extensions(boolean childrenOnly) {
        Set<String> out = new java.util.TreeSet<>();
        for (ImageDriver d : DRIVERS) {
            if (!childrenOnly || d.differencing()) {
                out.addAll(d.extensions());
            }
        }
        return Set.copyOf(out);
    }

    /** The driver of {@code format}, or empty when Strata has none for it. */
    public static Optional<ImageDriver> find(ImageFormat format) {
        return DRIVERS.stream().filter(d -> d.format() == format).findFirst();
    }

    /**
     * The format a differencing child of {@code parent} gets, as VirtualBox picks it: the parent's own when that
     * format has differencing images, else VDI.
     */
    public static ImageDriver childDriver(DiskImage parent) {
        return find(parent.format()).filter(ImageDriver::differencing)
                .orElseGet(() -> find(ImageFormat.VDI).orElseThrow());
    }

    /**
     * The driver of a file nobody recorded, by its content: the driver whose probe is surest, a format Strata does
     * not open named as such, and raw only when nothing else claims the file. This is the only place a format is
     * ever guessed: callers that know a file's format open it with that format's driver.
     */
    public static ImageDriver detect(Path path) throws IOException {
        ImageProbe probe = probe(path);
        ImageDriver best = null;
        int confidence = ImageDriver.NOT_MINE;
        for (ImageDriver d : DRIVERS) {
            int c = d.probe(probe);
            if (c > confidence) {
                best = d;
                confidence = c;
            }
        }
        if (confidence >= ImageDriver.CERTAIN) {
            return best;
        }
        String foreign = ForeignFormats.identify(probe);
        if (foreign != null) {
            throw new StorageException(path, "is a " + foreign + " image; Strata does not open " + foreign
                    + " images yet; convert it to VDI, e.g. qemu-img convert -O vdi " + path.getFileName()
                    + " disk.vdi");
        }
        if (best != null) {
            return best;
        }
        throw new StorageException(path, "unknown format: no VDI signature at byte offset 0x40, and the length ("
                + probe.length() + " bytes) is not a multiple of 512 as a raw disk's must be; check that this is a"
                + " disk image");
    }

    /**
     * The name of the format, other than raw, that a file with these first and last bytes would probe as: a
     * registered driver's sure answer or a format Strata does not open; null when only raw fits.
     */
    static String claimedBy(Path path, byte[] head, byte[] tail, long length) {
        ImageProbe probe = new ImageProbe(path, head, tail, length);
        for (ImageDriver d : DRIVERS) {
            if (d.probe(probe) >= ImageDriver.CERTAIN) {
                return d.format().toString();
            }
        }
        return ForeignFormats.identify(probe);
    }

    /**
     * Checks that {@code path} holds an image of {@code expected}, the format a registry or a VM's settings record
     * for it, and returns that format's driver. A recorded format is never second-guessed, but a file that lost
     * its format's signature fails naming what it is instead.
     */
    public static ImageDriver confirm(Path path, ImageFormat expected) throws IOException {
        requireImageFile(path);
        Optional<ImageDriver> driver = find(expected);
        if (driver.isEmpty()) {
            throw new StorageException(path, "is recorded as a " + expected + " image, but Strata does not open "
                    + expected + " images yet; if the record is wrong, forget it with `strata medium close " + path
                    + "` and register the file again");
        }
        ImageDriver d = driver.get();
        if (d.signature() == null) {
            return d;
        }
        ImageProbe probe = probe(path);
        if (d.probe(probe) >= ImageDriver.CERTAIN) {
            return d;
        }
        String foreign = ForeignFormats.identify(probe);
        throw new StorageException(path, "is recorded as a " + expected + " image but " + (foreign != null
                ? "the file is a " + foreign + " image" : "has no " + d.signature()
                + " (its first bytes are not a " + expected + " header)")
                + "; the file was damaged or replaced: restore it from a backup, or if the record is wrong, "
                + "forget it with `strata medium close " + path + "` and register the file again");
    }

    /** Reads what the probes look at, after {@link #requireImageFile}. */
    static ImageProbe probe(Path path) throws IOException {
        requireImageFile(path);
        try (FileChannel ch = readChannel(path)) {
            return ImageProbe.read(path, ch);
        }
    }

    /**
     * Fails with what the file is when {@code path} cannot be a disk image: missing, a directory, a device or
     * FIFO, unreadable, or empty.
     */
    public static void requireImageFile(Path path) throws StorageException {
        if (!Files.exists(path)) {
            throw new StorageException(path, "no such file; check the path");
        }
        if (Files.isDirectory(path)) {
            throw new StorageException(path, "is a directory, not a disk image; give the image file inside it");
        }
        if (!Files.isRegularFile(path)) {
            throw new StorageException(path, "is not a regular file (a device, FIFO or socket), so it is not a disk "
                    + "image; give an image file");
        }
        if (!Files.isReadable(path)) {
            throw new StorageException(path, "permission denied: Strata may not read this file; check its "
                    + "permissions and owner (ls -l)");
        }
        try {
            if (Files.size(path) == 0) {
                throw new StorageException(path, "is empty (0 bytes), not a disk image; create an image with "
                        + "`strata medium create`");
            }
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageException(path, "cannot be read: " + e.getMessage());
        }
    }

    private static FileChannel readChannel(Path path) throws StorageException {
        try {
            return FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new StorageException(path, "no such file; check the path");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new StorageException(path, "permission denied: Strata may not read this file; check its "
                    + "permissions and owner (ls -l)");
        } catch (IOException e) {
            throw new StorageException(path, "cannot be read: " + e.getMessage());
        }
    }
}
