package dev.strata.emulator.vm;

import dev.strata.storage.StorageException;
import dev.strata.storage.media.Medium;
import dev.strata.storage.media.MediumType;
import java.nio.file.Path;

/** Which medium may go where: controller, slot and drive type against the medium's type and variant. */
public final class AttachmentRules {

    private AttachmentRules() {
    }

    /** What is wrong with a slot: the field at fault ({@code controller}, {@code port}, {@code device} or {@code type}). */
    public record SlotProblem(String field, String message) {
    }

    /** Refuses a bad controller, slot or drive type, naming the option to change. */
    public static void checkSlot(String controller, int port, int device, String type) {
        SlotProblem p = slotProblem(controller, port, device, type);
        if (p != null) {
            throw new IllegalArgumentException("--" + p.field() + " " + p.message());
        }
    }

    /** The first rule a slot breaks, or null; the one place the controllers' slots are defined. */
    public static SlotProblem slotProblem(String controller, int port, int device, String type) {
        switch (controller) {
            case "ide" -> {
                if (port < 0 || port > 1) {
                    return new SlotProblem("port", "is " + port + ", but an IDE port is 0 or 1 (primary, secondary)");
                }
                if (device < 0 || device > 1) {
                    return new SlotProblem("device", "is " + device + ", but an IDE device is 0 or 1 (master, slave)");
                }
                if (!type.equals("hdd") && !type.equals("dvd")) {
                    return new SlotProblem("type", "is " + type + ", which cannot go on IDE; use hdd or dvd");
                }
                if (type.equals("dvd") && !(port == 1 && device == 0)) {
                    return new SlotProblem("port", "is " + port + " with device " + device + ", but Strata's CD/DVD"
                            + " drive is the secondary master: port 1, device 0");
                }
            }
            case "floppy" -> {
                if (port < 0 || port > 1) {
                    return new SlotProblem("port", "is " + port + ", but a floppy port is 0 or 1 (drive A:, B:)");
                }
                if (device != 0) {
                    return new SlotProblem("device", "is " + device + ", but a floppy drive's device is always 0");
                }
                if (!type.equals("fdd")) {
                    return new SlotProblem("type", "is " + type + ", which cannot go on the floppy controller; use"
                            + " fdd");
                }
            }
            default -> {
                return new SlotProblem("controller", "is \"" + controller + "\", an unknown controller; use ide or"
                        + " floppy");
            }
        }
        return null;
    }

    /** Refuses a medium its type does not allow in this drive. */
    public static void checkMedium(Medium medium, String driveType) throws StorageException {
        Path file = medium.path();
        medium.type().checkAllowedFor(file, medium.variant());
        if (driveType.equals("dvd") && medium.type() != MediumType.READONLY) {
            throw new StorageException(file, "is a " + medium.type().cliName() + " medium; a DVD drive takes readonly"
                    + " media (attach it with --mtype readonly)");
        }
        if (driveType.equals("fdd") && !(medium.type() == MediumType.NORMAL || medium.type() == MediumType.WRITETHROUGH)) {
            throw new StorageException(file, "is a " + medium.type().cliName() + " medium; a floppy drive takes normal"
                    + " or writethrough media (the floppy drive writes the image itself)");
        }
        if (!driveType.equals("dvd") && medium.isDiff()) {
            throw new StorageException(file, "is a differencing image; attach its base image (snapshots make the diffs)");
        }
    }
}
