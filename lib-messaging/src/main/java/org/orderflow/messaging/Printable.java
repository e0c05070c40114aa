package org.orderflow.messaging;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Bytes shown to a person (an operator reading a dead letter or a parked row): text when they are printable UTF-8, else hex; JSON pretty-printed. */
public final class Printable {
    private Printable() {
    }

    public static String text(byte[] bytes) {
        if (bytes == null) {
            return "(none)";
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            if (text.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) {
                return text;
            }
        } catch (CharacterCodingException notUtf8) {
            // shown as hex below
        }
        return "0x" + HexFormat.of().formatHex(bytes) + " (" + bytes.length + " bytes, not printable text)";
    }

    public static String payload(byte[] bytes) {
        if (bytes.length == 0) {
            return "(empty)";
        }
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(Json.mapper().readTree(bytes));
        } catch (Exception notJson) {
            return text(bytes);
        }
    }

    public static String shorten(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }
}
