package dev.strata.emulator.vm;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One snapshot in a VM's tree: the settings it froze (memory, boot order, attachments whose {@code current}
 * names the frozen image) and its child snapshots.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class SnapshotNode {
    public UUID uuid;
    public String name;
    public String description;
    /** ISO-8601 instant the snapshot was taken. */
    public String taken;
    /** True for an online snapshot (with a saved state of the whole machine). */
    public boolean online;
    /** The saved-state file of an online snapshot, absolute, else null. */
    public String savedState;
    public int memoryMb;
    public String bootOrder;
    public List<Attachment> attachments = new ArrayList<>();
    public List<SnapshotNode> children = new ArrayList<>();
}
