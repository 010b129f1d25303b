package dev.strata.storage.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The text form of the media registry ({@code media.json}): a versioned, pretty-printed JSON list people can
 * read and fix by hand. Reading names the entry and field at fault.
 */
final class RegistryJson {
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;
    private final List<Medium> media = new ArrayList<>();

    private RegistryJson(Path file) {
        this.file = file;
    }

    /** The media listed in {@code file}, in file order. */
    static List<Medium> read(Path file) throws StorageException {
        RegistryJson r = new RegistryJson(file);
        r.parse();
        return r.media;
    }

    /** The file content for {@code media}. */
    static byte[] write(List<Medium> media) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        ArrayNode list = root.putArray("media");
        for (Medium m : media) {
            ObjectNode n = list.addObject();
            n.put("uuid", m.uuid().toString());
            n.put("path", m.path().toString());
            n.put("format", m.format().name());
            n.put("variant", m.variant().name());
            n.put("type", m.type().cliName());
            n.put("autoreset", m.autoreset());
            n.put("parent", m.parentUuid() == null ? null : m.parentUuid().toString());
            n.put("size", m.logicalSize());
        }
        return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private void parse() throws StorageException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new StorageException(file, "is not valid JSON" + where + " (" + e.getOriginalMessage()
                    + "); fix it by hand or move it away to start an empty registry");
        } catch (IOException e) {
            throw new StorageException(file, "cannot be read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new StorageException(file, "is not a Strata media registry (expected a JSON object with a "
                    + "\"media\" list)");
        }
        int version = root.path("version").asInt(VERSION);
        if (version > VERSION) {
            throw new StorageException(file, "field \"version\" is " + version + ", newer than this Strata "
                    + "understands (" + VERSION + "); use a newer Strata");
        }
        JsonNode list = root.path("media");
        if (!list.isArray()) {
            throw new StorageException(file, "field \"media\" must be a list");
        }
        for (int i = 0; i < list.size(); i++) {
            media.add(entry(list.get(i), "media[" + i + "]"));
        }
    }

    private Medium entry(JsonNode n, String where) throws StorageException {
        UUID uuid = uuidField(n, where, "uuid", true);
        String path = textField(n, where, "path");
        ImageFormat format = enumField(n, where, "format", ImageFormat.class);
        ImageVariant variant = enumField(n, where, "variant", ImageVariant.class);
        MediumType type;
        try {
            type = n.hasNonNull("type") ? MediumType.parse(n.get("type").asText()) : MediumType.NORMAL;
        } catch (IllegalArgumentException e) {
            throw new StorageException(file, where + ".type: " + e.getMessage());
        }
        boolean autoreset = n.path("autoreset").asBoolean(true);
        UUID parent = uuidField(n, where, "parent", false);
        long size = n.path("size").asLong(-1);
        if (size < 0) {
            throw new StorageException(file, where + ".size is missing or negative");
        }
        return new Medium(uuid, Path.of(path), format, variant, type, autoreset, parent, size);
    }

    private String textField(JsonNode n, String where, String field) throws StorageException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new StorageException(file, where + "." + field + " is missing or not a string");
        }
        return v.asText();
    }

    private UUID uuidField(JsonNode n, String where, String field, boolean required) throws StorageException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new StorageException(file, where + "." + field + " is missing");
            }
            return null;
        }
        UUID u = MediaRegistry.parseUuid(v.asText());
        if (u == null) {
            throw new StorageException(file, where + "." + field + " is not a UUID: '" + v.asText() + "'");
        }
        return u;
    }

    private <E extends Enum<E>> E enumField(JsonNode n, String where, String field, Class<E> type)
            throws StorageException {
        String text = textField(n, where, field);
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StorageException(file, where + "." + field + " is '" + text + "', not one of "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }
}
