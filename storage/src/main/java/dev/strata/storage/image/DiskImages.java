package dev.strata.storage.image;

import dev.strata.storage.Progress;
import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The entry point to image files: detects a file's format and opens it, creates base and differencing images. */
public final class DiskImages {

    private static final Logger LOG = LoggerFactory.getLogger(DiskImages.class);
    private DiskImages() {
    }

    /**
     * Opens an image whose format nobody recorded (a file met for the first time): the format comes from its
     * content (see {@link #detect}); a raw file gets a UUID derived from its path.
     */
    public static DiskImage open(Path path, boolean readOnly) throws IOException {
        return open(path, readOnly, null, null);
    }

    /** Opens an unrecorded image; {@code rawUuid} is the UUID the registry keeps for a raw file. */
    public static DiskImage open(Path path, boolean readOnly, UUID rawUuid) throws IOException {
        return open(path, readOnly, null, rawUuid);
    }

    /**
     * Opens an image as {@code expected}, the format the media registry or a VM's settings record for it, or
     * probes the content when {@code expected} is null. A recorded format is never second-guessed: a raw disk
     * opens as raw whatever its guest wrote at the start (so a guest cannot turn it into a VDI), and a file
     * recorded as VDI that no longer holds a VDI header fails naming what was expected instead of opening as raw.
     * {@code rawUuid} is the UUID the registry keeps for a file whose format stores none (ignored for others).
     */
    public static DiskImage open(Path path, boolean readOnly, ImageFormat expected, UUID rawUuid) throws IOException {
        ImageDriver driver = expected == null ? ImageDrivers.detect(path) : ImageDrivers.confirm(path, expected);
        LOG.debug("opening {} as {}{}", path, driver.format(), readOnly ? " read-only" : "");
        return driver.open(path, readOnly, rawUuid, expected == null);
    }

    /**
     * The format of a file nobody recorded, from its content (see {@link ImageDrivers#detect}): callers that know a
     * file's format pass it to {@link #open(Path, boolean, ImageFormat, UUID)}.
     */
    public static ImageFormat detect(Path path) throws IOException {
        return ImageDrivers.detect(path).format();
    }

    /**
     * Fails with what the file is when {@code path} cannot be a disk image: missing, a directory, a device or
     * FIFO, unreadable, or empty.
     */
    public static void requireImageFile(Path path) throws StorageException {
        ImageDrivers.requireImageFile(path);
    }

    /** False for a format whose files hold no UUID (see {@link ImageDriver#storesUuid}). */
    public static boolean storesUuid(ImageFormat format) {
        return ImageDrivers.find(format).map(ImageDriver::storesUuid).orElse(true);
    }

    /**
     * The size a new {@code format} image a user asked to be {@code requested} bytes should get (see
     * {@link ImageDriver#userSize}); copies of a disk keep its size instead.
     */
    public static long userSize(ImageFormat format, long requested) {
        return ImageDrivers.find(format).map(d -> d.userSize(requested)).orElse(requested);
    }

    /**
     * Creates a new base image of {@code sizeBytes} (a positive multiple of 512) in {@code format} and opens it
     * read-write, in one of the variants the format's driver makes (VDI and raw: STANDARD or FIXED; raw gives a
     * sparse file either way). Refuses to overwrite an existing file; on failure nothing is left behind. A
     * {@link ImageVariant#writeOnce() write-once} variant is made as an empty disk and opened read-only.
     */
    public static DiskImage create(Path path, ImageFormat format, ImageVariant variant, long sizeBytes) throws IOException {
        ImageDriver driver = baseDriver(path, format, variant, sizeBytes);
        writeFresh(path, files -> driver.writeBase(files, variant, sizeBytes));
        LOG.info("created {}: {} {}, {} bytes", path, format, variant, sizeBytes);
        return driver.open(path, variant.writeOnce(), null, false);
    }

    /**
     * Creates a new base image in {@code format} and {@code variant} holding what {@code source} shows, in one pass,
     * and opens it read-only: the way to make a {@link ImageVariant#writeOnce() write-once} image (a stream-optimized
     * VMDK). Other variants are created and then written ({@link #create}).
     */
    public static DiskImage createCopy(Path path, ImageFormat format, ImageVariant variant, DiskImage source,
                                       Progress progress) throws IOException {
        ImageDriver driver = baseDriver(path, format, variant, source.size());
        writeFresh(path, files -> driver.writeCopy(files, variant, source, progress));
        LOG.info("created {}: {} {} copy of {}", path, format, variant, source.path());
        return driver.open(path, true, null, false);
    }

    /** The driver that makes {@code format} images of {@code variant} and {@code sizeBytes}; refuses others. */
    private static ImageDriver baseDriver(Path path, ImageFormat format, ImageVariant variant, long sizeBytes)
            throws StorageException {
        if (sizeBytes <= 0 || sizeBytes % 512 != 0) {
            throw new StorageException(path, "size " + sizeBytes + " must be a positive multiple of 512 bytes");
        }
        if (variant == ImageVariant.DIFF) {
            throw new StorageException(path, "a differencing image needs a parent; use createDiff");
        }
        ImageDriver driver = ImageDrivers.find(format).orElseThrow(() -> new StorageException(path,
                "Strata cannot create " + format + " images yet; use VDI or RAW"));
        if (!driver.variants().contains(variant)) {
            throw new StorageException(path, format + " has no " + variant.displayName() + " variant (Strata makes "
                    + format + " images as " + driver.variants().stream().map(ImageVariant::displayName)
                    .collect(java.util.stream.Collectors.joining(", ")) + ")" + (variant == ImageVariant.SPLIT_2G
                    || variant == ImageVariant.SPLIT_2G_FIXED || variant == ImageVariant.STREAM
                    ? "; split and stream-optimized disks are VMDK layouts: use --format VMDK" : ""));
        }
        if (sizeBytes > driver.maxSize()) {
            throw new StorageException(path, "size " + sizeBytes + " is larger than Strata's " + format + " limit of "
                    + driver.maxSize() + " bytes");
        }
        return driver;
    }

    /**
     * Creates a differencing image over {@code parent} (same size, linked by the parent's UUID) and opens it
     * read-write: in the parent's format when that format has differencing images, else as a VDI (see
     * {@link ImageDrivers#childDriver}).
     */
    public static DiskImage createDiff(Path path, DiskImage parent) throws IOException {
        return createDiff(path, parent, ImageDrivers.childDriver(parent));
    }

    /**
     * Creates a differencing image in {@code format} over {@code parent}, whatever the parent's format (a VM's own
     * differencing images are in one format, which its Snapshots folder records for every file in it).
     */
    public static DiskImage createDiff(Path path, DiskImage parent, ImageFormat format) throws IOException {
        ImageDriver driver = ImageDrivers.find(format).filter(ImageDriver::differencing).orElseThrow(() ->
                new StorageException(path, "Strata makes no " + format + " differencing images"));
        return createDiff(path, parent, driver);
    }

    private static DiskImage createDiff(Path path, DiskImage parent, ImageDriver driver) throws IOException {
        writeFresh(path, files -> driver.writeChild(files, parent));
        LOG.info("created {}: {} differencing image over {} ({})", path, driver.format(), parent.path(),
                parent.uuid());
        return driver.open(path, false, null, false);
    }

    /**
     * Grows the image at {@code path} (recorded as {@code format}, or probed when null; nothing may have it open) to
     * {@code requested} bytes, rounded as a new image of that format would be ({@link #userSize}), and returns the new
     * size. Refused: a differencing image (its size is its parent's), shrinking (as VirtualBox refuses it: the data
     * past the new end would be lost), a size that is not whole sectors or past the format's limit.
     */
    public static long resize(Path path, ImageFormat format, UUID rawUuid, long requested) throws IOException {
        ImageDriver driver = format == null ? ImageDrivers.detect(path) : ImageDrivers.confirm(path, format);
        if (requested <= 0 || requested % 512 != 0) {
            throw new StorageException(path, "new size " + requested + " bytes is not a positive multiple of 512 "
                    + "bytes (whole sectors); give the size in K, M, G or T, e.g. --size 2G");
        }
        long oldSize;
        try (DiskImage img = driver.open(path, true, rawUuid, format == null)) {
            if (img.parentUuid() != null) {
                throw new StorageException(path, "is a differencing image: its size is its parent's, so it is not "
                        + "resized on its own; merge it into its base (strata medium merge) and resize the base");
            }
            oldSize = img.size();
        }
        long newSize = driver.userSize(requested);
        if (newSize < oldSize) {
            throw new StorageException(path, "shrinking from " + oldSize + " to " + newSize + " bytes is refused, as "
                    + "VirtualBox refuses it: the data past the new end would be lost; shrink the guest's partitions "
                    + "and copy them onto a new, smaller disk instead");
        }
        if (newSize > driver.maxSize()) {
            throw new StorageException(path, "new size " + newSize + " is larger than Strata's " + driver.format()
                    + " limit of " + driver.maxSize() + " bytes");
        }
        if (newSize > oldSize) {
            driver.grow(path, oldSize, newSize);
            LOG.info("resized {}: {} to {} bytes", path, oldSize, newSize);
        }
        return newSize;
    }

    /**
     * Drops the all-zero blocks of the image at {@code path} (recorded as {@code format}, or probed when null;
     * nothing may have it open) and gives their space back; returns how many bytes the file shrank by.
     */
    public static long compact(Path path, ImageFormat format, Progress progress) throws IOException {
        ImageDriver driver = format == null ? ImageDrivers.detect(path) : ImageDrivers.confirm(path, format);
        long saved = driver.compact(path, progress);
        LOG.info("compacted {}: {} bytes given back", path, saved);
        return saved;
    }

    /**
     * Deletes the image at {@code path} and every file it keeps beside it ({@link DiskImage#files}), the main file
     * last, so an interruption leaves a main file naming a missing extent (which the check reports) rather than
     * extents nothing names. A file that no longer opens as {@code format} is deleted alone. Nobody may have it open.
     */
    public static void delete(Path path, ImageFormat format) throws IOException {
        List<Path> files;
        try (DiskImage image = open(path, true, format, null)) {
            files = image.files();
        } catch (StorageException damaged) {
            files = List.of(path);
        }
        for (Path p : files) {
            Files.deleteIfExists(p);
        }
        LOG.info("deleted {}{}", path, files.size() > 1 ? " and " + (files.size() - 1) + " file(s) beside it" : "");
    }

    private interface Writer {
        void write(NewImageFiles files) throws IOException;
    }

    /**
     * Builds the file under a temporary name beside the target and renames it into place only when it is
     * complete and on disk, so a failure or a crash never leaves a half-written image under the real name.
     */
    private static void writeFresh(Path path, Writer writer) throws IOException {
        Path abs = path.toAbsolutePath();
        if (Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new StorageException(path, "already exists; Strata never overwrites an image: choose another name "
                    + "or delete the file first");
        }
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new StorageException(path, "its directory " + dir + " does not exist; create it first");
        }
        Path tmp = dir.resolve("." + abs.getFileName() + ".strata-creating");
        Files.deleteIfExists(tmp);
        NewImageFiles files = null;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.READ)) {
                files = new NewImageFiles(abs, ch);
                writer.write(files);
                files.finish();
                ch.force(true);
            }
            Files.move(tmp, abs);
        } catch (FileAlreadyExistsException e) {
            if (files != null) {
                files.abandon();
            }
            Files.deleteIfExists(tmp);
            throw new StorageException(path, "already exists; Strata never overwrites an image: choose another name "
                    + "or delete the file first");
        } catch (IOException | RuntimeException e) {
            if (files != null) {
                files.abandon();
            }
            Files.deleteIfExists(tmp);
            if (e instanceof StorageException) {
                throw e;
            }
            throw new StorageException(path, "could not create the image: " + e.getMessage()
                    + "; check the free space and permissions of " + dir, e);
        }
    }
}
