package dev.strata.emulator.vm;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A long change recorded in the settings before it starts (a snapshot delete's merges), so the next command
 * can finish it after a crash or an interrupt.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class PendingOperation {
    /** {@code delete-snapshot}. */
    public String kind;
    public UUID snapshot;
    public String snapshotName;
    /**
     * How many steps are done: merges (they are removed from {@link #merges}) and the deletion of an online snapshot's
     * state file; a delete with any done can only be finished.
     */
    public int completed;
    /** The merges still to do, in order. */
    public List<MergeStep> merges = new ArrayList<>();

    /** One merge of a delete: {@code obsolete} goes away, {@code survivor} holds the data of both. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class MergeStep {
        /** {@code forward} (child into parent) or {@code backward} (parent into child). */
        public String direction;
        public String parent;
        public String child;
        /** Set (and saved) before the step touches any file. */
        public boolean started;
    }
}
