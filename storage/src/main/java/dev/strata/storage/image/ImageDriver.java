package dev.strata.storage.image;

import dev.strata.storage.Progress;
import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One image format's driver, as QEMU's BlockDriver and VirtualBox's image backends are: how Strata recognises its
 * files, opens them as {@link DiskImage}s, creates base and differencing images, and checks and repairs them. Chains,
 * merges, clones, the media registry and VMs reach formats only through drivers ({@link ImageDrivers}).
 */
public interface ImageDriver {

    /** A probe's answer when the file's signature is this format's. */
    int CERTAIN = 100;
    /** A probe's answer when nothing in the file contradicts this format but nothing shows it either (raw). */
    int FALLBACK = 1;
    /** A probe's answer when the file is not in this format. */
    int NOT_MINE = 0;

    ImageFormat format();

    /** How sure this driver is that {@code file} is in its format: {@link #NOT_MINE} to {@link #CERTAIN}. */
    int probe(ImageProbe file);

    /**
     * Where this format keeps its signature, for errors about a file recorded as this format that lacks it, e.g.
     * "VDI signature at byte offset 0x40"; null for a format without one (raw).
     */
    String signature();

    /**
     * Opens the image at {@code path}.
     *
     * @param recordedUuid the UUID the media registry keeps for the file, for formats that store none (else ignored)
     * @param guessed      true when the format was only inferred from the content, not recorded anywhere
     */
    DiskImage open(Path path, boolean readOnly, java.util.UUID recordedUuid, boolean guessed) throws IOException;

    /**
     * The file name extensions of this format's images, lower case without the dot, for the searches of parents and
     * children beside an image (the first is what Strata gives the files it names itself).
     */
    List<String> extensions();

    /**
     * False for a format whose files hold no UUID (raw, Parallels): their UUID is the one the registry keeps, first
     * derived from the file's path ({@link RawImage#pathUuid}), so a copy made under another name gets it from its
     * final name.
     */
    default boolean storesUuid() {
        return true;
    }

    /** The base-image variants {@link #writeBase} makes. */
    Set<ImageVariant> variants();

    /**
     * The size a new base image that a user asked to be {@code requested} bytes should get: the request, unless the
     * format's other readers size disks in coarser units (VHD: whole CHS geometries) and would see less.
     */
    default long userSize(long requested) {
        return requested;
    }

    /** The largest disk this format holds, in bytes. */
    long maxSize();

    /**
     * Writes a new base image of {@code size} bytes into the empty main file of {@code files} (and any companion
     * files the format keeps beside it); the caller renames the main file into place once it is complete and on disk.
     */
    void writeBase(NewImageFiles files, ImageVariant variant, long size) throws IOException;

    /**
     * Writes a new base image holding what {@code source} shows into the empty main file of {@code files}, for a
     * {@link ImageVariant#writeOnce() write-once} variant, which cannot be created empty and written afterwards.
     */
    default void writeCopy(NewImageFiles files, ImageVariant variant, DiskImage source, Progress progress)
            throws IOException {
        throw new StorageException(files.target(), "Strata does not write " + format() + " images of the "
                + variant.displayName() + " variant in one pass");
    }

    /** True when the format has differencing images (a child holding only what changed over a parent). */
    boolean differencing();

    /**
     * Writes a new, empty differencing image over {@code parent} into the empty main file of {@code files}; only
     * called when {@link #differencing()}.
     */
    void writeChild(NewImageFiles files, DiskImage parent) throws IOException;

    /**
     * Grows the image in {@code path}, which nothing has open, from {@code oldSize} to {@code newSize} bytes (a larger
     * multiple of 512) in crash-safe order: the tables for the new blocks first, the size last, so an interruption
     * leaves the old disk. {@link DiskImages#resize} checks the request first. A format that cannot grow refuses.
     */
    default void grow(Path path, long oldSize, long newSize) throws IOException {
        throw new StorageException(path, "is a " + format() + " image, which Strata cannot resize; clone it into a "
                + "format that can (strata medium clone " + path.getFileName() + " NEW.vdi --format VDI) and resize "
                + "the clone");
    }

    /**
     * Gives back the space of blocks that hold only zeros in the image in {@code path}, which nothing has open: such
     * blocks are dropped, the blocks after them moved down and the file cut, data first, then the tables, then the
     * cut, so an interruption leaves a valid image showing the same disk. Returns the bytes the file shrank by.
     */
    default long compact(Path path, Progress progress) throws IOException {
        throw new StorageException(path, "is a " + format() + " image, which Strata does not compact; VDI, qcow2, "
                + "VHD, Parallels and sparse VMDK images are compacted (clone it into one of them to drop its zero "
                + "blocks)");
    }

    /** Lists the problems of the file open read-only on {@code ch}, ending with a summary; never throws for damage. */
    List<ImageFinding> check(Path path, FileChannel ch) throws IOException;

    /**
     * Repairs what an interrupted write leaves behind, and nothing else; returns what it did (empty when nothing
     * needed it). Refuses a file with errors, which need a backup, not a repair.
     */
    List<ImageFinding> repair(Path path) throws IOException;
}
