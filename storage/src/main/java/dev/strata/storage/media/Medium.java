package dev.strata.storage.media;

import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;

/**
 * One registered virtual disk: its identity, where it lives, how it is stored and how Strata treats it.
 *
 * @param uuid the image's own UUID
 * @param path absolute, normalized path of the image file
 * @param parentUuid the parent's UUID for a differencing image, else null
 * @param logicalSize the size the guest sees, in bytes
 */
public record Medium(UUID uuid, Path path, ImageFormat format, ImageVariant variant, MediumType type,
        boolean autoreset, UUID parentUuid, long logicalSize) {

    public Medium {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(type, "type");
        path = path.toAbsolutePath().normalize();
    }

    /** A new medium as registered at creation: type normal, autoreset on (it only matters once immutable). */
    public static Medium of(UUID uuid, Path path, ImageFormat format, ImageVariant variant, UUID parentUuid,
            long logicalSize) {
        return new Medium(uuid, path, format, variant, MediumType.NORMAL, true, parentUuid, logicalSize);
    }

    /**
     * A new medium for an image file met for the first time, with the identity the file itself records: its UUID,
     * format, parent and size; a differencing image's variant is {@link ImageVariant#DIFF} whatever its layout.
     */
    public static Medium identify(Path file, DiskImage img) {
        return of(img.uuid(), file, img.format(), img.parentUuid() != null ? ImageVariant.DIFF : img.variant(),
                img.parentUuid(), img.size());
    }

    /** True for a differencing image (it has a parent). */
    public boolean isDiff() {
        return parentUuid != null;
    }

    public Medium withType(MediumType t) {
        return new Medium(uuid, path, format, variant, t, autoreset, parentUuid, logicalSize);
    }

    public Medium withAutoreset(boolean on) {
        return new Medium(uuid, path, format, variant, type, on, parentUuid, logicalSize);
    }

    public Medium withParent(UUID parent) {
        return new Medium(uuid, path, format, variant, type, autoreset, parent, logicalSize);
    }

    public Medium withLogicalSize(long size) {
        return new Medium(uuid, path, format, variant, type, autoreset, parentUuid, size);
    }

    /** The name of the file, for short listings. */
    public String fileName() {
        return path.getFileName().toString();
    }
}
