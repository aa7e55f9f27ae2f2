package com.example.dialstatus;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

// --8<-- [start:verify]
/**
 * Checks Plivo's {@code X-Plivo-Signature-V3} before either webhook runs, and hands the webhook the
 * request's parameters: the form body for POST, the query for GET.
 *
 * <p>It computes the V3 HMAC itself: plivo-java 5.46.3's {@code Utils.validateSignatureV3} drops
 * the URL's port, which Plivo signs, URL-decodes the whole URL before splitting its query (so
 * {@code %26} and {@code %3D} split values), and throws on a GET without parameters or a repeated
 * key.
 */
final class PlivoSignature implements Handler {

  static final int MAX_BODY_BYTES = 64 * 1024;
  private static final String FIELDS = PlivoSignature.class.getName();
  private final SecretKeySpec key;
  private final String publicUrl;

  PlivoSignature(String authToken, String publicUrl) {
    this.key = new SecretKeySpec(authToken.getBytes(UTF_8), "HmacSHA256");
    this.publicUrl = publicUrl;
  }

  /** The parameters of a request that passed the check; a repeated key keeps its first value. */
  static Map<String, String> fields(Context ctx) {
    return ctx.attribute(FIELDS);
  }

  @Override
  public void handle(Context ctx) throws GeneralSecurityException {
    boolean post = ctx.req().getMethod().equals("POST");
    String type = String.valueOf(ctx.header("Content-Type")).toLowerCase(Locale.ROOT);
    List<Entry<String, String>> query = parse(ctx.queryString());
    List<Entry<String, String>> body =
        post && type.startsWith("application/x-www-form-urlencoded") ? parse(body(ctx)) : List.of();
    // Plivo signs the URL it called: PUBLIC_URL, the path and the query.
    String url = publicUrl + ctx.path();
    String signatures = ctx.header("X-Plivo-Signature-V3");
    String nonce = ctx.header("X-Plivo-Signature-V3-Nonce");
    String reason = null;
    if (signatures == null || nonce == null || signatures.isEmpty() || nonce.isEmpty()) {
      reason = "no-signature";
    } else if (!matches(signatures, signed(post, url, query, body) + "." + nonce)) {
      reason = "bad-signature";
    }
    if (reason != null) {
      String called = ctx.queryString() == null ? url : url + "?" + ctx.queryString();
      DialStatusApp.log("request-refused reason=%s url=%s", reason, called);
      throw new ForbiddenResponse("Missing or invalid X-Plivo-Signature-V3");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    (post ? body : query).forEach(field -> fields.putIfAbsent(field.getKey(), field.getValue()));
    ctx.attribute(FIELDS, fields);
  }

  /** What Plivo signs before "." and the nonce, from the decoded query and body fields. */
  static String signed(
      boolean post,
      String url,
      List<Entry<String, String>> query,
      List<Entry<String, String>> body) {
    String sortedQuery = join(query, "=", "&");
    if (!post || body.isEmpty()) {
      return sortedQuery.isEmpty() ? url : url + "?" + sortedQuery;
    }
    return url + "?" + (sortedQuery.isEmpty() ? "" : sortedQuery + ".") + join(body, "", "");
  }

  private static String join(List<Entry<String, String>> fields, String between, String separator) {
    return fields.stream()
        .sorted(Entry.<String, String>comparingByKey().thenComparing(Entry.comparingByValue()))
        .map(field -> field.getKey() + between + field.getValue())
        .collect(Collectors.joining(separator));
  }

  /** True when one of the comma-separated signatures matches, compared in constant time. */
  private boolean matches(String signatures, String message) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(key);
    byte[] expected = Base64.getEncoder().encode(mac.doFinal(message.getBytes(UTF_8)));
    return Arrays.stream(signatures.split(","))
        .anyMatch(s -> MessageDigest.isEqual(expected, s.getBytes(UTF_8)));
  }

  /** Decoded {@code k=v} pairs in order, repeats kept; a bad percent-escape is a 400. */
  private static List<Entry<String, String>> parse(String form) {
    try {
      return Arrays.stream(form == null ? new String[0] : form.split("&"))
          .filter(pair -> !pair.isEmpty())
          .map(pair -> pair.split("=", 2))
          .map(kv -> Map.entry(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : ""))
          .toList();
    } catch (IllegalArgumentException e) {
      throw new BadRequestResponse("Malformed form data");
    }
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, UTF_8);
  }

  private static String body(Context ctx) {
    try (InputStream in = ctx.bodyInputStream()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new ContentTooLargeResponse();
      }
      return new String(body, UTF_8);
    } catch (IOException e) { // a broken chunked encoding, a client that went away
      throw new BadRequestResponse("Unreadable request body");
    }
  }
}
// --8<-- [end:verify]
