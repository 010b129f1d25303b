package dev.strata.emulator.vm;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.strata.emulator.machine.KernelBoot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The contents of a VM's settings file ({@code vm.json}), as Jackson reads and writes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"format", "version", "name", "uuid", "memoryMb", "bootOrder", "state"})
public final class VmSettings {
    /** The marker that tells a Strata VM settings file from any other JSON. */
    public static final String FORMAT = "strata-vm";
    /** The newest settings version this Strata reads. */
    public static final int VERSION = 1;

    public String format = FORMAT;
    public int version = VERSION;
    public String name;
    public UUID uuid;
    public int memoryMb = 32;
    /** Drive letters tried in order (a floppy, d CD, c hard disk); letters without a drive are skipped. */
    public String bootOrder = "adc";
    /** A Linux bzImage the BIOS boots directly instead of the boot order's drives (absolute path), or null. */
    public String kernel;
    /** The initrd for {@link #kernel}, or null. */
    public String initrd;
    /** The kernel command line for {@link #kernel}, or null. */
    public String append;
    /**
     * Who unpacks a compressed {@link #kernel}: "guest" for the kernel's own decompressor; null (or "strata") for
     * Strata, before the boot (see {@link KernelBoot#unpack}).
     */
    public String kernelUnpack;
    public VmState state = VmState.POWERED_OFF;
    /** The saved-state file when the state is Saved. */
    public String savedState;
    public UUID currentSnapshot;
    public List<Attachment> attachments = new ArrayList<>();
    /** Root snapshots (normally one). */
    public List<SnapshotNode> snapshots = new ArrayList<>();
    public PendingOperation pending;

    /** The direct kernel boot these settings ask for, or null when they name no kernel. */
    public KernelBoot kernelBoot() {
        if (kernel == null) {
            return null;
        }
        return new KernelBoot(Path.of(kernel), initrd == null ? null : Path.of(initrd), append,
                !"guest".equals(kernelUnpack));
    }
}
