package com.example.dialstatus;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

// --8<-- [start:verify]
/**
 * Checks Plivo's {@code X-Plivo-Signature-V3} before either webhook runs, on a text it builds
 * itself: plivo-java 5.46.3's {@code Utils.validateSignatureV3} drops the port, which Plivo signs,
 * splits a query value that holds {@code %26}, and throws on a repeated key.
 */
final class PlivoSignature implements Handler {

  private final SecretKeySpec key;
  private final String publicUrl;

  PlivoSignature(String authToken, String publicUrl) {
    this.key = new SecretKeySpec(authToken.getBytes(UTF_8), "HmacSHA256");
    this.publicUrl = publicUrl;
  }

  /** Plivo's parameters: the form body of a POST (none in a body of another type), or the query. */
  static Map<String, List<String>> fields(Context ctx) {
    if (ctx.method() != HandlerType.POST) {
      return ctx.queryParamMap();
    }
    return ctx.isFormUrlencoded() ? ctx.formParamMap() : Collections.emptyMap();
  }

  @Override
  public void handle(Context ctx) throws GeneralSecurityException {
    // Plivo signs the URL it called: PUBLIC_URL, the path and the query.
    String url = publicUrl + ctx.path();
    String signatures = ctx.header("X-Plivo-Signature-V3");
    String nonce = ctx.header("X-Plivo-Signature-V3-Nonce");
    if (signatures == null || nonce == null || signatures.isEmpty() || nonce.isEmpty()) {
      refuse(ctx, "no-signature", url);
    } else if (!matches(signatures, signed(ctx, url) + "." + nonce)) {
      refuse(ctx, "bad-signature", url);
    }
  }

  private static void refuse(Context ctx, String reason, String url) {
    String called = ctx.queryString() == null ? url : url + "?" + ctx.queryString();
    DialStatusApp.log("request-refused reason=%s url=%s", reason, called);
    throw new ForbiddenResponse("Missing or invalid X-Plivo-Signature-V3");
  }

  /** What Plivo signs before "." and the nonce: the URL, its sorted query, a POST's fields. */
  private static String signed(Context ctx, String url) {
    String query = join(ctx.queryParamMap(), "=", "&");
    Map<String, List<String>> body =
        ctx.method() == HandlerType.POST ? fields(ctx) : Collections.emptyMap();
    if (body.isEmpty()) {
      return query.isEmpty() ? url : url + "?" + query;
    }
    return url + "?" + (query.isEmpty() ? "" : query + ".") + join(body, "", "");
  }

  /** The fields sorted by name, then value, as name + between + value, joined by separator. */
  private static String join(Map<String, List<String>> fields, String between, String separator) {
    // Javalin 7.2.3 drops a name or value with a bad percent-escape: the request is malformed.
    if (fields.containsKey(null) || fields.containsValue(List.of())) {
      throw new BadRequestResponse();
    }
    return fields.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .flatMap(field -> field.getValue().stream().sorted().map(v -> field.getKey() + between + v))
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
}
// --8<-- [end:verify]
