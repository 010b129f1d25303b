package dev.strata.emulator.vm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The life-cycle state of a VM as its settings file records it (VirtualBox's names). */
public enum VmState {
    POWERED_OFF("PoweredOff"),
    RUNNING("Running"),
    PAUSED("Paused"),
    SAVED("Saved"),
    ABORTED("Aborted");

    private final String label;

    VmState(String label) {
        this.label = label;
    }

    /** The name in the settings file and in listings. */
    @JsonValue
    public String label() {
        return label;
    }

    /** True while a Strata process runs the VM (or should: a dead one is found by its lock). */
    public boolean live() {
        return this == RUNNING || this == PAUSED;
    }

    @JsonCreator
    public static VmState parse(String text) {
        for (VmState s : values()) {
            if (s.label.equalsIgnoreCase(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown VM state '" + text + "'; expected PoweredOff, Running, Paused, "
                + "Saved or Aborted");
    }
}
