package dev.strata.emulator.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.storage.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vm.json is checked field by field on load; each refusal names the file, the JSON path and what is allowed. */
class VmSettingsValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A valid file: a floppy, a hard disk, and a snapshot with a child snapshot. */
    private ObjectNode valid() throws Exception {
        VmSettings s = new VmSettings();
        s.name = "dos";
        s.uuid = UUID.randomUUID();
        s.attachments.add(new Attachment("floppy", 0, 0, "fdd", UUID.randomUUID(), "/x/fd.img"));
        Attachment hd = new Attachment("ide", 0, 0, "hdd", UUID.randomUUID(), "/x/c.vdi");
        hd.current = "/x/Snapshots/{d}.vdi";
        s.attachments.add(hd);
        SnapshotNode root = new SnapshotNode();
        root.uuid = UUID.randomUUID();
        root.name = "clean";
        root.memoryMb = 32;
        root.bootOrder = "adc";
        root.attachments.add(hd.copy());
        SnapshotNode child = new SnapshotNode();
        child.uuid = UUID.randomUUID();
        child.name = "later";
        child.memoryMb = 32;
        child.bootOrder = "c";
        root.children.add(child);
        s.snapshots.add(root);
        s.currentSnapshot = child.uuid;
        Path f = dir.resolve("valid.json");
        VmSettingsFile.write(f, s);
        return (ObjectNode) JSON.readTree(f.toFile());
    }

    /** Writes the edited valid file, reads it, and returns the refusal (checking the file was left as it was). */
    private String refusal(Consumer<ObjectNode> edit) throws Exception {
        ObjectNode tree = valid();
        edit.accept(tree);
        Path f = dir.resolve("vm.json");
        byte[] bytes = JSON.writeValueAsBytes(tree);
        Files.write(f, bytes);
        StorageException e = assertThrows(StorageException.class, () -> VmSettingsFile.read(f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("Strata left the file as it is"), e.getMessage());
        assertArrayEquals(bytes, Files.readAllBytes(f));
        return e.getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), () -> "expected \"" + p + "\" in: " + message);
        }
    }

    private static ObjectNode attachment(ObjectNode tree, int i) {
        return (ObjectNode) tree.get("attachments").get(i);
    }

    @Test
    void theValidFileReads() throws Exception {
        Path f = dir.resolve("vm.json");
        Files.write(f, JSON.writeValueAsBytes(valid()));
        VmSettings s = VmSettingsFile.read(f);
        assertEquals(2, s.attachments.size());
        assertEquals("later", s.snapshots.get(0).children.get(0).name);
    }

    @Test
    void aBootOrderOfUnknownLettersIsRefused() throws Exception {
        assertMentions(refusal(t -> t.put("bootOrder", "zz")), "bootOrder", "\"zz\"", "a, c or d");
        assertMentions(refusal(t -> t.put("bootOrder", "")), "bootOrder", "a, c or d");
        assertMentions(refusal(t -> t.put("bootOrder", "aa")), "bootOrder", "at most once");
    }

    @Test
    void anUnknownControllerIsRefused() throws Exception {
        assertMentions(refusal(t -> attachment(t, 1).put("controller", "scsi")), "attachments[1].controller",
                "\"scsi\"", "ide, sata or floppy");
    }

    @Test
    void aPortOutsideTheControllerIsRefusedWithItsPath() throws Exception {
        assertMentions(refusal(t -> attachment(t, 1).put("port", 7)), "attachments[1].port", "0 or 1", "is 7");
        assertMentions(refusal(t -> attachment(t, 0).put("device", 1)), "attachments[0].device", "0");
        assertMentions(refusal(t -> attachment(t, 1).put("type", "dvd")), "attachments[1]", "secondary master");
        assertMentions(refusal(t -> attachment(t, 0).put("type", "hdd")), "attachments[0].type", "fdd");
    }

    @Test
    void aSataSlotOutsideTheControllerIsRefusedWithItsPath() throws Exception {
        assertMentions(refusal(t -> attachment(t, 1).put("controller", "sata").put("port", 6)),
                "attachments[1].port", "is 6", "0 to 5");
        assertMentions(refusal(t -> attachment(t, 1).put("controller", "sata").put("device", 1)),
                "attachments[1].device", "always 0");
        assertMentions(refusal(t -> attachment(t, 1).put("controller", "sata").put("type", "fdd")),
                "attachments[1].type", "hdd or dvd");
    }

    @Test
    void twoDrivesInOneSlotAreRefused() throws Exception {
        assertMentions(refusal(t -> {
            ObjectNode again = attachment(t, 1).deepCopy();
            again.put("medium", UUID.randomUUID().toString());
            again.put("mediumPath", "/x/d.vdi");
            again.remove("current");
            ((ArrayNode) t.get("attachments")).add(again);
        }), "attachments[2]", "ide 0:0", "attachments[1]");
    }

    @Test
    void oneMediumInTwoSlotsIsRefused() throws Exception {
        assertMentions(refusal(t -> {
            ObjectNode again = attachment(t, 1).deepCopy();
            again.put("device", 1);
            ((ArrayNode) t.get("attachments")).add(again);
        }), "attachments[2].medium", "attachments[1]");
    }

    @Test
    void nullListsAreRefusedNotCrashedOn() throws Exception {
        assertMentions(refusal(t -> t.putNull("attachments")), "attachments", "array");
        assertMentions(refusal(t -> t.putNull("snapshots")), "snapshots", "array");
        assertMentions(refusal(t -> ((ObjectNode) t.get("snapshots").get(0)).putNull("children")),
                "snapshots[0].children", "array");
    }

    @Test
    void anUnknownCurrentSnapshotIsRefused() throws Exception {
        assertMentions(refusal(t -> t.put("currentSnapshot", UUID.randomUUID().toString())), "currentSnapshot",
                "no snapshot");
    }

    @Test
    void duplicateSnapshotUuidsAreRefused() throws Exception {
        assertMentions(refusal(t -> {
            ObjectNode root = (ObjectNode) t.get("snapshots").get(0);
            ((ObjectNode) root.get("children").get(0)).put("uuid", root.get("uuid").asText());
        }), "snapshots[0].children[0].uuid", "snapshots[0].uuid");
    }

    @Test
    void wrongTypesAreRefused() throws Exception {
        assertMentions(refusal(t -> t.put("memoryMb", "lots")), "memoryMb", "whole number");
        assertMentions(refusal(t -> attachment(t, 1).put("port", "0")), "attachments[1].port", "whole number");
        assertMentions(refusal(t -> t.put("uuid", "not-a-uuid")), "uuid", "UUID");
        assertMentions(refusal(t -> attachment(t, 0).put("medium", 5)), "attachments[0].medium", "UUID");
        assertMentions(refusal(t -> t.put("name", 12)), "name", "string");
        assertMentions(refusal(t -> ((ObjectNode) t.get("snapshots").get(0)).put("online", "yes")),
                "snapshots[0].online", "true or false");
        assertMentions(refusal(t -> t.put("attachments", "none")), "attachments", "array");
        assertMentions(refusal(t -> ((ArrayNode) t.get("attachments")).set(0, t.textNode("fd"))),
                "attachments[0]", "object");
    }

    @Test
    void missingRequiredFieldsAreRefused() throws Exception {
        assertMentions(refusal(t -> t.remove("uuid")), "uuid", "missing");
        assertMentions(refusal(t -> t.remove("name")), "name", "missing");
        assertMentions(refusal(t -> t.remove("memoryMb")), "memoryMb", "missing");
        assertMentions(refusal(t -> attachment(t, 1).remove("medium")), "attachments[1].medium", "missing");
        assertMentions(refusal(t -> attachment(t, 1).remove("mediumPath")), "attachments[1].mediumPath", "missing");
        assertMentions(refusal(t -> ((ObjectNode) t.get("snapshots").get(0)).remove("name")), "snapshots[0].name",
                "missing");
    }

    @Test
    void anUnknownStateIsRefusedWithTheStatesThereAre() throws Exception {
        assertMentions(refusal(t -> t.put("state", "Flying")), "state", "\"Flying\"", "PoweredOff", "Aborted");
    }

    @Test
    void memoryOutsideTheMachinesRangeIsRefused() throws Exception {
        assertMentions(refusal(t -> t.put("memoryMb", -16)), "memoryMb", "1 to 2000", "-16");
        assertMentions(refusal(t -> ((ObjectNode) t.get("snapshots").get(0)).put("memoryMb", 0)),
                "snapshots[0].memoryMb", "1 to 2000");
    }

    @Test
    void anUnknownFieldIsRefusedRatherThanDroppedAtTheNextSave() throws Exception {
        assertMentions(refusal(t -> t.put("memoryMB", 64)), "memoryMB", "unknown field", "memoryMb");
        assertMentions(refusal(t -> attachment(t, 0).put("slot", 1)), "attachments[0].slot", "unknown field");
    }

    @Test
    void aDirectKernelBootReadsAndItsFieldsAreChecked() throws Exception {
        ObjectNode tree = valid();
        tree.put("kernel", "/boot/vmlinuz").put("initrd", "/boot/initrd.img").put("append", "console=ttyS0");
        Path f = dir.resolve("vm.json");
        Files.write(f, JSON.writeValueAsBytes(tree));
        VmSettings s = VmSettingsFile.read(f);
        assertEquals("/boot/vmlinuz", s.kernel);
        assertEquals("/boot/initrd.img", s.initrd);
        assertEquals("console=ttyS0", s.append);

        assertMentions(refusal(t -> t.put("kernel", "vmlinuz")), "kernel", "\"vmlinuz\"", "absolute path");
        assertMentions(refusal(t -> t.put("kernel", 7)), "kernel", "string");
        assertMentions(refusal(t -> t.put("initrd", "/boot/initrd.img")), "initrd", "no \"kernel\"");
        assertMentions(refusal(t -> t.put("append", "quiet")), "append", "no \"kernel\"");
    }

    @Test
    void whoUnpacksTheKernelIsStrataOrTheGuestAndNeedsAKernel() throws Exception {
        ObjectNode tree = valid();
        tree.put("kernel", "/boot/vmlinuz").put("kernelUnpack", "guest");
        Path f = dir.resolve("vm.json");
        Files.write(f, JSON.writeValueAsBytes(tree));
        VmSettings s = VmSettingsFile.read(f);
        assertEquals("guest", s.kernelUnpack);
        assertEquals(false, s.kernelBoot().unpack());
        s.kernelUnpack = null;
        assertEquals(true, s.kernelBoot().unpack());

        assertMentions(refusal(t -> t.put("kernel", "/boot/vmlinuz").put("kernelUnpack", "qemu")), "kernelUnpack",
                "\"qemu\"", "\"strata\"", "\"guest\"");
        assertMentions(refusal(t -> t.put("kernelUnpack", "guest")), "kernelUnpack", "no \"kernel\"");
    }

    @Test
    void aBadNameOrPendingOperationIsRefused() throws Exception {
        assertMentions(refusal(t -> t.put("name", "a b/c")), "name", "letters");
        assertMentions(refusal(t -> {
            ObjectNode p = t.putObject("pending");
            p.put("kind", "delete-snapshot");
            p.put("snapshot", UUID.randomUUID().toString());
            p.putArray("merges").addObject().put("direction", "sideways").put("parent", "/a").put("child", "/b");
        }), "pending.merges[0].direction", "forward or backward");
    }

    @Test
    void everyProblemIsCountedButOnlyTheFirstSpelledOut() throws Exception {
        String msg = refusal(t -> {
            t.put("bootOrder", "zz");
            t.put("memoryMb", -1);
        });
        assertMentions(msg, "memoryMb", "and 1 more problem");
    }
}
