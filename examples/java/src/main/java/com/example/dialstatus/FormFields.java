package com.example.dialstatus;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict parser for {@code application/x-www-form-urlencoded} data: a POST body or a query
 * string.
 *
 * <p>Javalin's {@code formParamMap()} and {@code queryParamMap()} are lenient: they silently drop a
 * field with a bad percent-escape, turn invalid UTF-8 into U+FFFD, and read the body in the charset
 * the Content-Type names (an unknown name throws). This parser reads UTF-8 and reports anything
 * malformed as {@link MalformedFormException}, so the caller can answer 400.
 */
final class FormFields {

  /** The data is not valid form encoding or not valid UTF-8. */
  static final class MalformedFormException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedFormException(String message) {
      super(message);
    }
  }

  private FormFields() {}

  /**
   * Parses {@code k=v&k=v} bytes into a map in arrival order. A key that repeats keeps its first
   * value; Plivo never repeats one.
   */
  static Map<String, String> parse(byte[] data) throws MalformedFormException {
    Map<String, String> fields = new LinkedHashMap<>();
    int start = 0;
    while (start <= data.length) {
      int end = indexOf(data, (byte) '&', start, data.length);
      if (end > start) {
        int equals = indexOf(data, (byte) '=', start, end);
        String key = decode(data, start, equals);
        String value = equals < end ? decode(data, equals + 1, end) : "";
        fields.putIfAbsent(key, value);
      }
      start = end + 1;
    }
    return Collections.unmodifiableMap(fields);
  }

  private static int indexOf(byte[] data, byte wanted, int from, int to) {
    for (int i = from; i < to; i++) {
      if (data[i] == wanted) {
        return i;
      }
    }
    return to;
  }

  /** Undoes {@code +} and {@code %XX}, then decodes the bytes as strict UTF-8. */
  private static String decode(byte[] data, int from, int to) throws MalformedFormException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      byte b = data[i];
      if (b == '+') {
        bytes.write(' ');
      } else if (b == '%') {
        int high = i + 2 < to ? hexValue(data[i + 1]) : -1;
        int low = high >= 0 ? hexValue(data[i + 2]) : -1;
        if (low < 0) {
          throw new MalformedFormException("bad percent-escape");
        }
        bytes.write(high * 16 + low);
        i += 2;
      } else {
        bytes.write(b);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedFormException("not UTF-8");
    }
  }

  private static int hexValue(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    return -1;
  }
}
