package com.example.dialstatus;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Plivo's {@code X-Plivo-Signature-V3}, checked for the requests that plivo-java's {@code
 * Utils.validateSignatureV3} gets wrong: a URL with an explicit port (the SDK signs {@code
 * URL.getHost()}, which has no port), a GET with no parameters (the SDK throws) and a POST with an
 * empty body (the SDK adds a stray {@code ?}).
 *
 * <p>The algorithm is the one every Plivo SDK implements and Plivo's test vectors confirm: the URL
 * as Plivo requested it, without its query; then for GET, {@code ?} and the query parameters sorted
 * by name as {@code k=v} joined by {@code &}; for POST, {@code ?}, the sorted query and a {@code .}
 * (if there is a query), then the body fields sorted by name as {@code kv} with no separator; then
 * {@code .} and the nonce. The signature is the Base64 HMAC-SHA256 of that, keyed with the auth
 * token.
 */
final class SignatureV3 {

  private SignatureV3() {}

  /**
   * True when one of the comma-separated {@code signatures} matches.
   *
   * @param baseUrl the URL Plivo requested, without its query: {@code PUBLIC_URL} and the path
   * @param method the literal {@code "GET"} or {@code "POST"}
   * @param query the decoded query string parameters
   * @param body the decoded form fields of a POST body (empty for GET)
   */
  static boolean matches(
      String signatures,
      String nonce,
      String authToken,
      String method,
      String baseUrl,
      Map<String, String> query,
      Map<String, String> body) {
    byte[] expected =
        sign(authToken, signedString(method, baseUrl, query, body) + "." + nonce)
            .getBytes(StandardCharsets.US_ASCII);
    for (String candidate : signatures.split(",", -1)) {
      // Constant-time, so the time taken says nothing about how close a guess was.
      if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8))) {
        return true;
      }
    }
    return false;
  }

  static String signedString(
      String method, String baseUrl, Map<String, String> query, Map<String, String> body) {
    String sortedQuery = join(query, "=", "&");
    if (method.equals("GET") || body.isEmpty()) {
      return sortedQuery.isEmpty() ? baseUrl : baseUrl + "?" + sortedQuery;
    }
    return baseUrl + "?" + (sortedQuery.isEmpty() ? "" : sortedQuery + ".") + join(body, "", "");
  }

  private static String join(Map<String, String> fields, String between, String separator) {
    return new TreeMap<>(fields)
        .entrySet().stream()
            .map(field -> field.getKey() + between + field.getValue())
            .collect(Collectors.joining(separator));
  }

  private static String sign(String authToken, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      // Every Java runtime must provide HmacSHA256, so this cannot happen.
      throw new IllegalStateException(e);
    }
  }
}
