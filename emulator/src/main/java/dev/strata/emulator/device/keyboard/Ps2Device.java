package dev.strata.emulator.device.keyboard;

/**
 * A device on one of the 8042's serial ports (the keyboard port or the auxiliary/mouse port), as the controller
 * sees it: bytes go to it, bytes wait in it until the controller takes them.
 */
public interface Ps2Device {

    /** Takes one byte the host sent to the device (a command or a command's parameter). */
    void receive(int b);

    /** True while the device has a byte waiting for the controller. */
    boolean hasOutput();

    /** Removes and returns the next waiting byte; only call when {@link #hasOutput()}. */
    int takeOutput();

    /** Sets who to tell when a byte starts waiting (the controller, to fetch it if its buffer is free). */
    void setDataReadyListener(Runnable listener);
}
