package com.example.dialstatus;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
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
 * <p>It computes the V3 HMAC itself, because plivo-java 5.46.3's {@code Utils.validateSignatureV3}
 * is wrong for requests Plivo sends: it drops the URL's port, URL-decodes the whole URL before
 * splitting the query (so {@code %26}, {@code %3D} and {@code +} split or change), throws on a GET
 * without parameters and on a repeated key, and signs a stray {@code ?} for an empty POST.
 */
final class PlivoSignature implements Handler {

  static final int MAX_BODY_BYTES = 64 * 1024;
  private static final String FIELDS = PlivoSignature.class.getName();
  private final SecretKeySpec key;
  private final String publicUrl;

  PlivoSignature(String authToken, String publicUrl) {
    this.key = new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.publicUrl = publicUrl;
  }

  /** The parameters of a request that passed the check; a repeated key keeps its first value. */
  static Map<String, String> fields(Context ctx) {
    return ctx.attribute(FIELDS);
  }

  @Override
  public void handle(Context ctx) throws GeneralSecurityException {
    boolean post = ctx.req().getMethod().equals("POST");
    String query = ctx.queryString();
    List<Entry<String, String>> queryFields = parse(query);
    List<Entry<String, String>> bodyFields = post && isForm(ctx) ? parse(body(ctx)) : List.of();
    // Plivo signs the URL it called: PUBLIC_URL, the path and the query as sent.
    String url = publicUrl + ctx.path() + (query == null ? "" : "?" + query);
    String signatures = ctx.header("X-Plivo-Signature-V3");
    String nonce = ctx.header("X-Plivo-Signature-V3-Nonce");
    String reason = null;
    if (signatures == null || signatures.isEmpty() || nonce == null || nonce.isEmpty()) {
      reason = "no-signature";
    } else if (!matches(
        signatures, signed(post, publicUrl + ctx.path(), queryFields, bodyFields) + "." + nonce)) {
      reason = "bad-signature";
    }
    if (reason != null) {
      DialStatusApp.log("request-refused reason=" + reason + " url=" + DialStatusApp.logSafe(url));
      throw new ForbiddenResponse("Missing or invalid X-Plivo-Signature-V3");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    (post ? bodyFields : queryFields).forEach(f -> fields.putIfAbsent(f.getKey(), f.getValue()));
    ctx.attribute(FIELDS, fields);
  }

  /**
   * What Plivo signs: for GET the URL and its sorted {@code k=v&...} query; for POST the URL,
   * {@code ?}, the sorted query and a {@code .} (when there is a query), then the sorted body
   * fields as {@code kv} with no separator (none of that when the body is empty).
   */
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

  private boolean matches(String signatures, String message) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(key);
    byte[] expected =
        java.util.Base64.getEncoder().encode(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    // Any one of the comma-separated signatures, compared in constant time.
    return Arrays.stream(signatures.split(","))
        .anyMatch(s -> MessageDigest.isEqual(expected, s.getBytes(StandardCharsets.UTF_8)));
  }

  private static String join(List<Entry<String, String>> fields, String between, String separator) {
    return fields.stream()
        .sorted(Entry.<String, String>comparingByKey().thenComparing(Entry.comparingByValue()))
        .map(f -> f.getKey() + between + f.getValue())
        .collect(Collectors.joining(separator));
  }

  /** Decoded {@code k=v} pairs in order, repeats kept; a bad percent-escape is a 400. */
  private static List<Entry<String, String>> parse(String form) {
    if (form == null || form.isEmpty()) {
      return List.of();
    }
    try {
      return Arrays.stream(form.split("&"))
          .filter(pair -> !pair.isEmpty())
          .map(pair -> pair.split("=", 2))
          .map(kv -> Map.entry(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : ""))
          .toList();
    } catch (IllegalArgumentException e) {
      throw new BadRequestResponse("Malformed form data");
    }
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static boolean isForm(Context ctx) {
    String type = ctx.header("Content-Type");
    return type != null
        && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
  }

  private static String body(Context ctx) {
    try (InputStream in = ctx.bodyInputStream()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new ContentTooLargeResponse();
      }
      return new String(body, StandardCharsets.UTF_8);
    } catch (IOException e) { // a broken chunked encoding, a client that went away
      throw new BadRequestResponse("Unreadable request body");
    }
  }
}
// --8<-- [end:verify]
