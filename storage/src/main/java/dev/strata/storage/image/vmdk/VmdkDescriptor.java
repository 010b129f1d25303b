package dev.strata.storage.image.vmdk;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A VMDK descriptor: the text that names the disk's extents, its content ID (CID), its parent's CID and file name,
 * and the disk database ("ddb.*"). Edits change single lines and keep every other line as it was, so what VMware,
 * VirtualBox or QEMU wrote there survives Strata's updates.
 */
final class VmdkDescriptor {
    /** The CID a base disk records as its parent's: "no parent". */
    static final long NO_PARENT_CID = 0xFFFFFFFFL;

    /** One extent line: {@code RW 2048 SPARSE "disk.vmdk"} or {@code RW 2048 FLAT "disk-flat.vmdk" 0}. */
    record Extent(String access, long sectors, String type, String fileName, long offset) {
        String line() {
            return access + " " + sectors + " " + type + (fileName == null ? "" : " \"" + fileName + "\"")
                    + (type.equals("FLAT") || type.equals("VMFS") ? " " + offset : "");
        }
    }

    private final Path file;
    private final List<String> lines;
    private final List<Extent> extents = new ArrayList<>();

    private VmdkDescriptor(Path file, List<String> lines) {
        this.file = file;
        this.lines = lines;
    }

    /** Parses descriptor text (up to the first NUL, where an embedded descriptor's padding starts). */
    static VmdkDescriptor parse(Path file, byte[] text, long fileOffset) throws StorageException {
        int end = 0;
        while (end < text.length && text[end] != 0) {
            end++;
        }
        String s = new String(text, 0, end, StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>(List.of(s.split("\r?\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        VmdkDescriptor d = new VmdkDescriptor(file, lines);
        long at = fileOffset;
        for (String line : lines) {
            String t = line.trim();
            if (startsWithAccess(t)) {
                d.extents.add(parseExtent(file, t, at));
            }
            at += line.length() + 1;
        }
        if (d.extents.isEmpty()) {
            throw new StorageException(file, "descriptor at byte offset " + ImageFiles.hex(fileOffset)
                    + " names no extent (no line like RW 2048 SPARSE \"disk.vmdk\"); the descriptor is damaged: "
                    + "restore it from a backup");
        }
        if (d.get("createType") == null) {
            throw new StorageException(file, "descriptor at byte offset " + ImageFiles.hex(fileOffset)
                    + " has no createType; the descriptor is damaged: restore it from a backup");
        }
        d.cid();
        d.parentCid();
        return d;
    }

    /** A new descriptor of the given type and extents; UUIDs as VirtualBox records them. */
    static VmdkDescriptor create(String createType, long cid, long parentCid, String parentHint, List<Extent> extents,
                                 UUID image, UUID parent, long sectors) {
        List<String> l = new ArrayList<>();
        l.add("# Disk DescriptorFile");
        l.add("version=1");
        l.add("CID=" + cidText(cid));
        l.add("parentCID=" + cidText(parentCid));
        l.add("createType=\"" + createType + "\"");
        if (parentHint != null) {
            l.add("parentFileNameHint=\"" + parentHint + "\"");
        }
        l.add("");
        l.add("# Extent description");
        for (Extent e : extents) {
            l.add(e.line());
        }
        l.add("");
        l.add("# The Disk Data Base");
        l.add("#DDB");
        l.add("");
        long cylinders = Math.max(1, Math.min(16383, sectors / (16 * 63)));
        l.add("ddb.virtualHWVersion = \"4\"");
        l.add("ddb.adapterType = \"ide\"");
        l.add("ddb.geometry.cylinders = \"" + cylinders + "\"");
        l.add("ddb.geometry.heads = \"16\"");
        l.add("ddb.geometry.sectors = \"63\"");
        l.add("ddb.uuid.image = \"" + image + "\"");
        l.add("ddb.uuid.parent = \"" + (parent == null ? new UUID(0, 0) : parent) + "\"");
        l.add("ddb.uuid.modification = \"" + new UUID(0, 0) + "\"");
        l.add("ddb.uuid.parentmodification = \"" + new UUID(0, 0) + "\"");
        VmdkDescriptor d = new VmdkDescriptor(null, l);
        d.extents.addAll(extents);
        return d;
    }

    private static boolean startsWithAccess(String t) {
        return t.startsWith("RW ") || t.startsWith("RDONLY ") || t.startsWith("NOACCESS ");
    }

    private static Extent parseExtent(Path file, String t, long at) throws StorageException {
        String[] head = t.split("\\s+", 3);
        if (head.length < 3) {
            throw badExtent(file, t, at, "it needs an access mode, a size in sectors and a type");
        }
        long sectors;
        try {
            sectors = Long.parseLong(head[1]);
        } catch (NumberFormatException e) {
            throw badExtent(file, t, at, "the size " + head[1] + " is not a number of sectors");
        }
        if (sectors <= 0 || sectors > (1L << 40)) {
            throw badExtent(file, t, at, "the size " + sectors + " sectors is out of range");
        }
        String rest = head[2];
        int sp = rest.indexOf(' ');
        String type = (sp < 0 ? rest : rest.substring(0, sp)).toUpperCase(Locale.ROOT);
        String name = null;
        long offset = 0;
        if (sp >= 0) {
            String r = rest.substring(sp + 1).trim();
            if (r.startsWith("\"")) {
                int close = r.indexOf('"', 1);
                if (close < 0) {
                    throw badExtent(file, t, at, "the file name has no closing quote");
                }
                name = r.substring(1, close);
                r = r.substring(close + 1).trim();
            }
            if (!r.isEmpty()) {
                try {
                    offset = Long.parseLong(r);
                } catch (NumberFormatException e) {
                    throw badExtent(file, t, at, "the offset " + r + " is not a number of sectors");
                }
            }
        }
        if (!type.equals("ZERO") && (name == null || name.isEmpty())) {
            throw badExtent(file, t, at, "it names no file");
        }
        return new Extent(head[0], sectors, type, name, offset);
    }

    private static StorageException badExtent(Path file, String line, long at, String why) {
        return new StorageException(file, "descriptor extent line at byte offset " + ImageFiles.hex(at) + " (" + line
                + "): " + why + "; the descriptor is damaged: restore it from a backup");
    }

    List<Extent> extents() {
        return extents;
    }

    /** The value of {@code key} ({@code key=value} or {@code key = "value"}), unquoted; null when absent. */
    String get(String key) {
        int i = indexOf(key);
        if (i < 0) {
            return null;
        }
        String v = lines.get(i).substring(lines.get(i).indexOf('=') + 1).trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        return v;
    }

    /** Sets {@code key} to {@code value}, in place when the key is there, else after the header or at the end. */
    void set(String key, String value, boolean quoted) {
        boolean ddb = key.startsWith("ddb.");
        String line = key + (ddb ? " = " : "=") + (quoted ? "\"" + value + "\"" : value);
        int i = indexOf(key);
        if (i >= 0) {
            lines.set(i, line);
        } else if (ddb) {
            lines.add(line);
        } else {
            int type = indexOf("createType");
            lines.add(type < 0 ? 1 : type + 1, line);
        }
    }

    /** Drops the line of {@code key}, if there is one. */
    void remove(String key) {
        int i = indexOf(key);
        if (i >= 0) {
            lines.remove(i);
        }
    }

    private int indexOf(String key) {
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            int eq = l.indexOf('=');
            if (eq > 0 && !l.trim().startsWith("#") && l.substring(0, eq).trim().equalsIgnoreCase(key)) {
                return i;
            }
        }
        return -1;
    }

    String createType() {
        return get("createType");
    }

    long cid() throws StorageException {
        return cidValue("CID");
    }

    long parentCid() throws StorageException {
        String v = get("parentCID");
        return v == null ? NO_PARENT_CID : cidValue("parentCID");
    }

    private long cidValue(String key) throws StorageException {
        String v = get(key);
        if (v == null) {
            throw new StorageException(file, "descriptor has no " + key + "; the descriptor is damaged: restore it "
                    + "from a backup");
        }
        try {
            long c = Long.parseLong(v, 16);
            if (c < 0 || c > 0xFFFFFFFFL) {
                throw new NumberFormatException();
            }
            return c;
        } catch (NumberFormatException e) {
            throw new StorageException(file, "descriptor " + key + " " + v + " is not a 32-bit hexadecimal number; "
                    + "the descriptor is damaged: restore it from a backup");
        }
    }

    void setCid(long cid) {
        set("CID", cidText(cid), false);
    }

    void setParentCid(long cid) {
        set("parentCID", cidText(cid), false);
    }

    /** The UUID of ddb.{@code key}, or null when absent, unreadable or all zeros. */
    UUID uuid(String key) {
        String v = get("ddb.uuid." + key);
        if (v == null) {
            return null;
        }
        try {
            UUID u = UUID.fromString(v.trim());
            return u.getMostSignificantBits() == 0 && u.getLeastSignificantBits() == 0 ? null : u;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String cidText(long cid) {
        return String.format(Locale.ROOT, "%08x", cid);
    }

    byte[] encode() {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
