package io.herald.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * How the message browser shows a key, value or header: JSON pretty-printed, UTF-8 text as is, anything else as a hex
 * dump. Bounded: at most {@link #MAX_TEXT_CHARS} characters of text and {@link #MAX_HEX_BYTES} bytes of hex.
 */
final class RecordFormat {
    static final int MAX_TEXT_CHARS = 64 * 1024;
    static final int MAX_HEX_BYTES = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One shown field: its kind (null, json, text, binary) and its text. */
    record Shown(String kind, String text) {}

    private RecordFormat() {}

    static Shown show(byte[] data) {
        if (data == null) {
            return new Shown("null", "null");
        }
        String text = utf8(data);
        if (text == null) {
            return new Shown("binary", hex(data));
        }
        String json = prettyJson(text);
        if (json != null) {
            return new Shown("json", bounded(json));
        }
        return new Shown("text", bounded(text));
    }

    /** The bytes as UTF-8 text, or null when they are not valid UTF-8 or hold control characters other than spacing. */
    static String utf8(byte[] data) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                return null;
            }
        }
        return text;
    }

    /** The text pretty-printed when it is a JSON object or array, else null. */
    static String prettyJson(String text) {
        String trimmed = text.strip();
        if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(trimmed);
            return node == null ? null : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A hex dump: 16 bytes a line with their offset, the first {@link #MAX_HEX_BYTES} bytes. */
    static String hex(byte[] data) {
        int shown = Math.min(data.length, MAX_HEX_BYTES);
        StringBuilder out = new StringBuilder();
        for (int line = 0; line < shown; line += 16) {
            out.append(String.format("%08x ", line));
            for (int i = line; i < Math.min(line + 16, shown); i++) {
                out.append(String.format(" %02x", data[i] & 0xff));
            }
            out.append('\n');
        }
        if (shown < data.length) {
            out.append("… ").append(data.length - shown).append(" more bytes\n");
        }
        return out.toString();
    }

    private static String bounded(String text) {
        return text.length() <= MAX_TEXT_CHARS
                ? text
                : text.substring(0, MAX_TEXT_CHARS) + "\n… " + (text.length() - MAX_TEXT_CHARS) + " more characters";
    }

    /** Whether the bytes, read as UTF-8, contain the needle (case-insensitive). */
    static boolean contains(byte[] data, String needleLower) {
        if (data == null) {
            return false;
        }
        return new String(data, StandardCharsets.UTF_8)
                .toLowerCase(java.util.Locale.ROOT)
                .contains(needleLower);
    }
}
