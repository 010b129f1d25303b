package dev.strata.storage.image;

/** Where each field of a VDI 1.1 header sits (absolute byte offsets in the file) and VirtualBox's constants. */
final class VdiLayout {
    private VdiLayout() {
    }

    static final int TEXT = 0x00;
    static final int TEXT_SIZE = 64;
    static final int SIGNATURE = 0x40;
    static final int VERSION = 0x44;
    /** The header proper starts here, after the 72-byte pre-header; its size field counts from here. */
    static final int HEADER_START = 0x48;
    static final int HEADER_SIZE = 0x48;
    static final int IMAGE_TYPE = 0x4C;
    static final int FLAGS = 0x50;
    static final int COMMENT = 0x54;
    static final int COMMENT_SIZE = 256;
    static final int OFF_BLOCKS = 0x154;
    static final int OFF_DATA = 0x158;
    static final int LEGACY_GEOMETRY = 0x15C;
    static final int LEGACY_SECTOR_SIZE = 0x168;
    static final int DISK_SIZE = 0x170;
    static final int BLOCK_SIZE = 0x178;
    static final int BLOCK_EXTRA = 0x17C;
    static final int BLOCK_COUNT = 0x180;
    static final int BLOCKS_ALLOCATED = 0x184;
    static final int UUID_CREATE = 0x188;
    static final int UUID_MODIFY = 0x198;
    static final int UUID_LINKAGE = 0x1A8;
    static final int UUID_PARENT_MODIFY = 0x1B8;
    static final int LCHS_GEOMETRY = 0x1C8;
    static final int LCHS_SECTOR_SIZE = 0x1D4;

    /** VirtualBox's VDIHEADER1 (no LCHS geometry): the smallest header it accepts; QEMU writes this size. */
    static final int HEADER1_SIZE = 0x180;
    /** VirtualBox's VDIHEADER1PLUS (with LCHS geometry): what VirtualBox writes for new images, and so do we. */
    static final int HEADER1PLUS_SIZE = 0x190;
    /** Bytes of the file a header read must cover to hold every field up to uuidParentModify. */
    static final int MIN_FILE_FOR_HEADER = HEADER_START + HEADER1_SIZE;

    static final int SIGNATURE_VALUE = 0xBEDA107F;
    static final int VERSION_1_1 = 0x00010001;
    static final String FILE_INFO = "<<< Oracle VM VirtualBox Disk Image >>>\n";

    static final int TYPE_NORMAL = 1;
    static final int TYPE_FIXED = 2;
    static final int TYPE_UNDO = 3;
    static final int TYPE_DIFF = 4;
    /** The only image flag VirtualBox defines (zero-expand); others make VirtualBox refuse the file. */
    static final int FLAGS_KNOWN = 0x1;

    static final int BLOCK_FREE = 0xFFFFFFFF;
    static final int BLOCK_ZERO = 0xFFFFFFFE;

    static final int SECTOR = 512;
    static final int DATA_ALIGN = 1 << 20;
    static final int DEFAULT_BLOCK_SIZE = 1 << 20;
    /** A ceiling on the block count so a corrupt header cannot make us allocate gigabytes for the map. */
    static final long MAX_BLOCKS = 1L << 28;

    static String hex(long v) {
        return "0x" + Long.toHexString(v).toUpperCase(java.util.Locale.ROOT);
    }
}
