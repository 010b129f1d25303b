package dev.strata.storage.media;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageVariant;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How a medium behaves towards snapshots, running VMs and writes (DESIGN section 4), as data the rest of
 * Strata asks instead of switching on the type itself.
 */
public enum MediumType {
    /** Snapshots freeze it and add a diff; attachable to many VMs, only one of them running. */
    NORMAL(true, false, true, true),
    /** Untouched by snapshots: no diff, not saved, not restored. */
    WRITETHROUGH(false, false, true, true),
    /** Like writethrough, attachable to several running VMs at once; fixed-size images only. */
    SHAREABLE(false, true, true, true),
    /** Guest writes go to a per-attachment diff reset at every power-on from Strata (unless autoreset is off). */
    IMMUTABLE(true, true, true, false),
    /** Like immutable without the reset: one persistent diff per VM. */
    MULTIATTACH(true, true, true, false),
    /** CD/DVD images: the guest may not write at all. */
    READONLY(false, true, false, false);

    private final boolean snapshotsDiff;
    private final boolean severalRunningVms;
    private final boolean guestWrites;
    private final boolean writesReachImage;

    MediumType(boolean snapshotsDiff, boolean severalRunningVms, boolean guestWrites, boolean writesReachImage) {
        this.snapshotsDiff = snapshotsDiff;
        this.severalRunningVms = severalRunningVms;
        this.guestWrites = guestWrites;
        this.writesReachImage = writesReachImage;
    }

    /** True when taking a snapshot puts a differencing image over this medium. */
    public boolean snapshotsDiff() {
        return snapshotsDiff;
    }

    /** True when several running VMs may have it attached at the same time. */
    public boolean attachableToSeveralRunningVms() {
        return severalRunningVms;
    }

    /** True when the guest may write to the disk at all (to the image itself or to a diff over it). */
    public boolean guestWritesAllowed() {
        return guestWrites;
    }

    /** True when guest writes land in this image itself rather than in a diff over it. */
    public boolean guestWritesReachImage() {
        return writesReachImage;
    }

    /** True when the autoreset flag means anything for this type (immutable only). */
    public boolean autoresetApplies() {
        return this == IMMUTABLE;
    }

    /** True when the attachment diff is thrown away at power-on, given the medium's autoreset flag. */
    public boolean resetsAtPowerOn(boolean autoreset) {
        return this == IMMUTABLE && autoreset;
    }

    /**
     * The host lock a Strata process must hold while it has the image open: exclusive for a writer, shared
     * for readers and for writers of a shareable image (several running VMs write it by design).
     */
    public LockMode lockFor(boolean writing) {
        return writing && this != SHAREABLE ? LockMode.EXCLUSIVE : LockMode.SHARED;
    }

    /**
     * Refuses this type for an image of the given variant, with a message saying what to do.
     *
     * @param file the image, named in the error
     */
    public void checkAllowedFor(Path file, ImageVariant variant) throws StorageException {
        if (variant == ImageVariant.DIFF && this != NORMAL) {
            throw new StorageException(file, "is a differencing image; its type follows its base image and cannot be "
                    + "set to " + cliName() + " (change the type of the base image instead)");
        }
        if (this == SHAREABLE && !variant.fixed()) {
            throw new StorageException(file, "a shareable medium must be a fixed-size image, and this one is "
                    + variant.name().toLowerCase(Locale.ROOT) + "; clone it with --variant Fixed and make the clone "
                    + "shareable");
        }
    }

    /** Refuses a write by the host or the guest when the type forbids it. */
    public void checkWritable(Path file) throws StorageException {
        if (!guestWrites) {
            throw new StorageException(file, "is a " + cliName() + " medium; writes are refused (change its type with "
                    + "`strata medium modify " + file + " --type normal` if you really mean to write it)");
        }
    }

    /** The name users type and see: lower case, as in VirtualBox's {@code VBoxManage modifymedium --type}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a user's spelling, case-insensitively; the error lists the valid names. */
    public static MediumType parse(String text) {
        for (MediumType t : values()) {
            if (t.name().equalsIgnoreCase(text.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown medium type '" + text + "'; use one of normal, writethrough, "
                + "shareable, immutable, multiattach, readonly");
    }
}
