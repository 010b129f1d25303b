package dev.strata.emulator.device.ata;

/**
 * What an ATA or ATAPI device is cabled to: an IDE channel (parallel ATA, shared with a second device) or a SATA
 * port of an AHCI controller. The device runs its commands the same way on both and tells its link when it wants an
 * interrupt or has a DMA window ready; how that reaches the host is the link's business.
 */
interface AtaLink {

    /** The device raised its interrupt (INTRQ on the cable; the I bit of the next FIS on a SATA link). */
    void deviceInterrupt();

    /** The device has data for (or room for) a DMA transfer. */
    void dmaReady();

    /** True on a Serial ATA link: IDENTIFY then reports the SATA capabilities and native command queuing. */
    default boolean serialAta() {
        return false;
    }
}
