package dev.strata.emulator.vm;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.strata.emulator.machine.DriveSlot;
import java.util.Objects;
import java.util.UUID;

/**
 * One drive of a VM: where it is plugged in and which medium it holds. {@code current} is the image the VM
 * writes to when it is not the medium itself: the diff over the medium after a snapshot (normal), or the
 * per-attachment diff (immutable, multiattach); null means the medium itself.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Attachment {
    /** {@code ide}, {@code sata} or {@code floppy} (a {@link ControllerKind}'s key). */
    public String controller;
    /** IDE channel 0/1, SATA port 0-5, or floppy drive 0/1. */
    public int port;
    /** IDE master 0 / slave 1; 0 for SATA ports and floppies. */
    public int device;
    /** {@code hdd}, {@code dvd} or {@code fdd}. */
    public String type;
    /** The medium's UUID in the media registry. */
    public UUID medium;
    /** The medium's file, absolute (kept so the settings read well and survive a lost registry). */
    public String mediumPath;
    /** The image writes go to, absolute, or null for the medium itself. */
    public String current;

    public Attachment() {
    }

    public Attachment(String controller, int port, int device, String type, UUID medium, String mediumPath) {
        this.controller = controller;
        this.port = port;
        this.device = device;
        this.type = type;
        this.medium = medium;
        this.mediumPath = mediumPath;
    }

    /** A deep copy (snapshots keep their own). */
    public Attachment copy() {
        Attachment a = new Attachment(controller, port, device, type, medium, mediumPath);
        a.current = current;
        return a;
    }

    /** True when this sits in the same slot as {@code other}. */
    public boolean sameSlot(Attachment other) {
        return Objects.equals(controller, other.controller) && port == other.port && device == other.device;
    }

    /** The drive type {@link #type} names; vm.json's validation has made sure it names one. */
    public DriveType driveType() {
        return DriveType.of(type).orElseThrow(() -> new IllegalStateException("slot " + slot() + " has drive type "
                + type + ", not one of " + DriveType.keys()));
    }

    /** Where this drive sits in the machine; vm.json's validation has made sure the slot is one its controller has. */
    public DriveSlot machineSlot() {
        return ControllerKind.of(controller).orElseThrow(() -> new IllegalStateException("slot " + slot()
                + " names controller " + controller + ", not one of " + ControllerKind.keys()))
                .machineSlot(port, device);
    }

    /** "ide 0:1" and the like, for messages and listings. */
    public String slot() {
        return controller + " " + port + ":" + device;
    }
}
