package dev.strata.tools.display;

/** Where the window's mouse goes: the guest's PS/2 mouse (on the CPU thread, in the order things happened). */
public interface GuestMouse {

    /** The mouse moved {@code right} counts right and {@code down} counts down. */
    void move(int right, int down);

    /** The buttons now held: bit 0 left, bit 1 right, bit 2 middle (as the PS/2 mouse numbers them). */
    void buttons(int held);

    /** The wheel turned {@code down} notches toward the user (negative: away, scrolling up). */
    void wheel(int down);
}
