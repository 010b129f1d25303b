package dev.strata.tools.medium;

import dev.strata.storage.Progress;
import dev.strata.storage.chain.ParentResolver;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * What the {@code strata medium} commands need from the image drivers and the chain layer, in one place so
 * the commands read as what they do and never reach into a driver.
 */
public interface MediumBackend {

    /** Opens one image file with the driver its content calls for. */
    DiskImage open(Path file, boolean readOnly) throws IOException;

    /** Creates a new base image of {@code sizeBytes}. */
    DiskImage create(Path file, ImageFormat format, ImageVariant variant, long sizeBytes) throws IOException;

    /**
     * Creates a new base image holding what {@code source} shows in one pass and opens it read-only: how a
     * write-once variant (a stream-optimized VMDK) is made.
     */
    DiskImage createCopy(Path file, ImageFormat format, ImageVariant variant, DiskImage source, Progress progress)
            throws IOException;

    /** Creates a differencing image in {@code format} over {@code parent}, whatever the parent's format. */
    DiskImage createDiff(Path file, DiskImage parent, ImageFormat format) throws IOException;

    /** Opens {@code top} with all its ancestors as one disk, finding parents through {@code parents}. */
    DiskImage openChain(Path top, boolean readOnly, ParentResolver parents) throws IOException;

    /** Copies what {@code source} shows into the blank {@code target}; returns the bytes written. */
    long copy(DiskImage source, DiskImage target, Progress progress) throws IOException;

    /** Merges {@code child} into its parent, durably; deletes nothing. Returns the parent's file and UUID. */
    MergeOutcome mergeIntoParent(Path child, ParentResolver parents, Progress progress) throws IOException;

    /** Points the image in {@code file} at {@code newParent} if it names {@code expectedParent}. */
    void reparent(Path file, UUID expectedParent, UUID newParent, ParentResolver parents) throws IOException;

    /** The differencing images in {@code image}'s folder that name {@code uuid} as their parent. */
    List<Path> childrenInFolder(UUID uuid, Path image) throws IOException;

    /**
     * Grows the image in {@code file} (nobody may have it open) to {@code size} bytes, as its format rounds sizes;
     * returns the new size. Shrinking, differencing images and formats that cannot grow are refused.
     */
    long resize(Path file, long size) throws IOException;

    /** Gives back the space of the all-zero blocks of the image in {@code file}; returns the bytes saved. */
    long compact(Path file, Progress progress) throws IOException;

    /**
     * Checks a file's structure without trusting it, then (when it has no errors) its link to the parent that
     * {@code parents} finds; the findings, worst first.
     */
    List<CheckFinding> check(Path file, ParentResolver parents, Progress progress) throws IOException;

    /** Fixes what a check found repairable (the file must not be open elsewhere); what it did, or nothing. */
    List<CheckFinding> repair(Path file) throws IOException;

    /** The parent that took a merged child's data. */
    record MergeOutcome(Path survivor, UUID survivorUuid) {
    }

    /** One finding of a structural check: {@code error} when the image is unusable. */
    record CheckFinding(boolean error, String text) {
    }
}
