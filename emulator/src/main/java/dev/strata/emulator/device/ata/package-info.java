/**
 * The IDE controller of the PIIX3 (function 01.1): two ATA channels at the legacy ports, each with a master and a
 * slave, ATA hard disks backed by {@link dev.strata.storage.image.DiskImage}s, ATAPI CD-ROM drives with insertable
 * ISO media, and the bus-master DMA engine behind BAR4 that moves sectors through PRD tables in guest memory.
 *
 * <p>Commands complete synchronously, inside the guest's port write that issued them (or inside the bus-master
 * start write for DMA): a guest sees BSY only during a software reset. That keeps runs deterministic and needs no
 * timer; drivers that poll for BSY to clear or wait for the interrupt both work.
 */
package dev.strata.emulator.device.ata;
