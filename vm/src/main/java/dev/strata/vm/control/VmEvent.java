package dev.strata.vm.control;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Something that happened to a running VM, as the control protocol reports it to every connected client:
 * {@link #STATE_CHANGED}, {@link #RESET}, {@link #POWER_OFF}, {@link #EXPECTATIONS_MET}, {@link #SNAPSHOT_PROGRESS}
 * and {@link #SNAPSHOT_COMPLETED}.
 */
public record VmEvent(String name, ObjectNode data, Instant at) {
    /** The VM's state changed: {@code state}, {@code previous}. */
    public static final String STATE_CHANGED = "STATE_CHANGED";
    /** The guest reset the machine (keyboard controller, port 92h, CF9h, triple fault) or a client did. */
    public static final String RESET = "RESET";
    /** The machine stopped running: {@code reason} (guest, client, saved, halted, failed, stopped). */
    public static final String POWER_OFF = "POWER_OFF";
    /** Every {@code --expect} text appeared: {@code count}. */
    public static final String EXPECTATIONS_MET = "EXPECTATIONS_MET";
    /** An online snapshot reached a step: {@code name}, {@code step}. */
    public static final String SNAPSHOT_PROGRESS = "SNAPSHOT_PROGRESS";
    /** An online snapshot was taken: {@code name}, {@code uuid}. */
    public static final String SNAPSHOT_COMPLETED = "SNAPSHOT_COMPLETED";

    /** An event happening now, with empty data for the caller to fill. */
    public static VmEvent now(String name) {
        return new VmEvent(name, JsonNodeFactory.instance.objectNode(), Instant.now());
    }

    /** Adds a text field to the data; returns this event. */
    public VmEvent with(String key, String value) {
        data.put(key, value);
        return this;
    }

    /** Adds a number field to the data; returns this event. */
    public VmEvent with(String key, long value) {
        data.put(key, value);
        return this;
    }
}
