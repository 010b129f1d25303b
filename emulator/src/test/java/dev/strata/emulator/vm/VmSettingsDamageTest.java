package dev.strata.emulator.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vm.json files damaged the ways hand edits and broken disks damage them (a value of another type or out of range, a
 * field gone, the text cut short, random bytes): each is read or refused with a {@link StorageException} naming the
 * file, never another exception, and the file is left exactly as it was.
 */
class VmSettingsDamageTest {

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A VM with a disk, a floppy, a snapshot and a current snapshot: every part of the format in use. */
    private static VmSettings full() {
        VmSettings s = new VmSettings();
        s.name = "dos";
        s.uuid = UUID.randomUUID();
        s.memoryMb = 64;
        s.state = VmState.SAVED;
        Attachment disk = new Attachment("ide", 0, 0, "hdd", UUID.randomUUID(), "/x/disk.vdi");
        disk.current = "/x/Snapshots/{d}.vdi";
        s.attachments.add(disk);
        s.attachments.add(new Attachment("floppy", 0, 0, "fdd", UUID.randomUUID(), "/x/fd.img"));
        SnapshotNode n = new SnapshotNode();
        n.uuid = UUID.randomUUID();
        n.name = "clean";
        n.memoryMb = 64;
        n.bootOrder = "adc";
        n.attachments.add(disk.copy());
        s.snapshots.add(n);
        s.currentSnapshot = n.uuid;
        return s;
    }

    private static JsonNode randomValue(Random r) {
        switch (r.nextInt(12)) {
            case 0: return NODES.nullNode();
            case 1: return NODES.numberNode(-1);
            case 2: return NODES.numberNode(Long.MAX_VALUE);
            case 3: return NODES.numberNode(1e300);
            case 4: return NODES.textNode("");
            case 5: return NODES.textNode("not-a-uuid");
            case 6: return NODES.textNode("x".repeat(r.nextInt(5000)));
            case 7: return NODES.booleanNode(r.nextBoolean());
            case 8: return NODES.arrayNode().add(NODES.objectNode());
            case 9: return NODES.objectNode().put("x", 1);
            case 10: return NODES.numberNode(r.nextInt());
            default: return NODES.textNode(UUID.randomUUID().toString());
        }
    }

    /** Every container in the tree with the key or index of each child, so a mutation can pick any field. */
    private static void places(JsonNode node, List<Object[]> out) {
        if (node instanceof ObjectNode o) {
            for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                out.add(new Object[] {o, name});
                places(o.get(name), out);
            }
        } else if (node instanceof ArrayNode a) {
            for (int k = 0; k < a.size(); k++) {
                out.add(new Object[] {a, k});
                places(a.get(k), out);
            }
        }
    }

    private static byte[] damaged(byte[] good, Random r) throws Exception {
        if (r.nextInt(5) == 0) { // the text itself: cut short or overwritten
            byte[] b = good.clone();
            if (r.nextBoolean()) {
                return java.util.Arrays.copyOf(b, r.nextInt(b.length));
            }
            for (int k = 1 + r.nextInt(4); k > 0; k--) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            return b;
        }
        JsonNode tree = JSON.readTree(good);
        List<Object[]> at = new ArrayList<>();
        places(tree, at);
        Object[] p = at.get(r.nextInt(at.size()));
        ContainerNode<?> parent = (ContainerNode<?>) p[0];
        boolean remove = r.nextInt(4) == 0;
        if (parent instanceof ObjectNode o) {
            if (remove) {
                o.remove((String) p[1]);
            } else {
                o.set((String) p[1], randomValue(r));
            }
        } else {
            ArrayNode a = (ArrayNode) parent;
            if (remove) {
                a.remove((int) p[1]);
            } else {
                a.set((int) p[1], randomValue(r));
            }
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree);
    }

    @Test
    void aDamagedVmJsonIsReadOrRefusedByNameAndLeftAsItWas() throws Exception {
        Path good = dir.resolve("good.json");
        VmSettingsFile.write(good, full());
        byte[] original = Files.readAllBytes(good);
        Random r = new Random(20261204);
        int refused = 0;
        for (int k = 0; k < 1500; k++) {
            Path f = dir.resolve("vm-" + k + ".json");
            byte[] bad = damaged(original, r);
            Files.write(f, bad);
            try {
                VmSettingsFile.read(f);
            } catch (StorageException e) {
                refused++;
                assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
            } catch (RuntimeException e) {
                fail(f.getFileName() + " (" + new String(bad, StandardCharsets.UTF_8).replaceAll("\\s+", " ")
                        + ") escaped as " + e, e);
            }
            assertArrayEquals(bad, Files.readAllBytes(f), "the file was left as it was");
        }
        assertTrue(refused > 500, "most damage is caught: " + refused + " of 1500 refused");
    }
}
