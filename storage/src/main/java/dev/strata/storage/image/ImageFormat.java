package dev.strata.storage.image;

/** The on-disk formats Strata knows; each has one {@link DiskImage} driver. */
public enum ImageFormat {
    RAW, VDI, VMDK, VHD, HDD, QCOW2;
}
