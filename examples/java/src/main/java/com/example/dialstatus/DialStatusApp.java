package com.example.dialstatus;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.HEAD;
import static io.javalin.http.HandlerType.OPTIONS;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import com.example.dialstatus.FormFields.MalformedFormException;
import com.plivo.api.exceptions.PlivoValidationException;
import com.plivo.api.exceptions.PlivoXmlException;
import com.plivo.api.util.Utils;
import com.plivo.api.xml.Dial;
import com.plivo.api.xml.Hangup;
import com.plivo.api.xml.Number;
import com.plivo.api.xml.Response;
import com.plivo.api.xml.Speak;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.Header;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.http.UnsupportedMediaTypeResponse;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Plivo dial status reporting: the answer URL dials a number, and the Dial's action URL logs how
 * the dial ended and tells Plivo what to do next.
 */
public final class DialStatusApp {

  static final String ANSWER_PATH = "/dialstatus/";
  static final String ACTION_PATH = "/dialstatus/action/";
  static final int MAX_BODY_BYTES = 64 * 1024;
  static final String XML = "application/xml; charset=utf-8";
  static final String FORM = "application/x-www-form-urlencoded";

  /** The configuration, read from the environment. */
  record Settings(String authToken, String publicUrl, String dialNumber, String host, int port) {

    static Settings fromEnvironment(Map<String, String> env) {
      String authToken = env.getOrDefault("PLIVO_AUTH_TOKEN", "");
      if (authToken.isEmpty()) {
        throw new IllegalArgumentException(
            "PLIVO_AUTH_TOKEN is not set. Set it to the auth token of your Plivo account,"
                + " which signs every webhook request; without it no request can be trusted.");
      }
      int port = parsePort(value(env, "PORT", "8086"));
      String publicUrl = value(env, "PUBLIC_URL", "http://127.0.0.1:" + port).replaceAll("/+$", "");
      checkPublicUrl(publicUrl);
      return new Settings(
          authToken,
          publicUrl,
          value(env, "DIAL_NUMBER", "+15555550100"),
          value(env, "HOST", "127.0.0.1"),
          port);
    }

    /** Whether PUBLIC_URL names a port, such as {@code :8443}: plivo-java's check drops it. */
    boolean publicUrlHasPort() {
      return URI.create(publicUrl).getPort() != -1;
    }

    private static String value(Map<String, String> env, String name, String fallback) {
      String value = env.get(name);
      return value == null || value.isEmpty() ? fallback : value;
    }

    private static int parsePort(String text) {
      try {
        int port = Integer.parseInt(text);
        if (port >= 1 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("PORT must be a number from 1 to 65535, not " + text);
    }

    private static void checkPublicUrl(String url) {
      try {
        URI uri = new URI(url);
        if (uri.getHost() != null && uri.getRawQuery() == null && uri.getRawFragment() == null) {
          String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
          if (scheme.equals("http") || scheme.equals("https")) {
            return;
          }
        }
      } catch (URISyntaxException e) {
        // reported below
      }
      throw new IllegalArgumentException(
          "PUBLIC_URL must be an http(s) URL without a query, such as"
              + " https://example.ngrok.app, not "
              + url);
    }
  }

  /** A webhook endpoint, called once the request is known to come from Plivo. */
  private interface Webhook {
    void handle(Context ctx, Map<String, String> params);
  }

  private final Settings settings;
  private final boolean sdkCanCheckSignatures;
  private final PrintStream log;
  private final String answerXml;
  private final String completedXml;
  private final String notReachedXml;

  DialStatusApp(Settings settings, PrintStream log)
      throws PlivoValidationException, PlivoXmlException {
    this.settings = settings;
    this.sdkCanCheckSignatures = !settings.publicUrlHasPort();
    this.log = log;
    // The replies depend only on the configuration, so they are built once: a request can never
    // make the SDK throw.
    this.answerXml = answerXml(settings.publicUrl(), settings.dialNumber());
    this.completedXml = completedXml();
    this.notReachedXml = notReachedXml();
  }

  public static void main(String[] args) {
    Settings settings;
    try {
      settings = Settings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("dialstatus: " + e.getMessage());
      System.exit(2);
      return;
    }
    // Our own UTF-8 stream: System.out would use the platform charset, which is ASCII under
    // LANG=C and would turn non-ASCII values into '?'.
    PrintStream stdout =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    DialStatusApp app;
    try {
      app = new DialStatusApp(settings, stdout);
    } catch (PlivoValidationException | PlivoXmlException e) {
      System.err.println("dialstatus: cannot build the Plivo XML: " + e.getMessage());
      System.exit(1);
      return;
    }
    app.start();
  }

  Javalin start() {
    return Javalin.create(
            config -> {
              config.jetty.host = settings.host();
              config.jetty.port = settings.port();
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              route(config, ANSWER_PATH, webhook(this::answer));
              route(config, ACTION_PATH, webhook(this::action));
            })
        .start();
  }

  /** Sends every method to {@code handler}, which answers 405 to all but GET and POST. */
  private static void route(JavalinConfig config, String path, Handler handler) {
    // HEAD too: without a route of its own, Javalin answers HEAD with an empty 200.
    for (HandlerType method : List.of(GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS)) {
      config.routes.addHttpHandler(method, path, handler);
    }
  }

  // --8<-- [start:answer]
  /** The answer URL's XML: dial DIAL_NUMBER, then request the action URL with the outcome. */
  static String answerXml(String publicUrl, String dialNumber)
      throws PlivoValidationException, PlivoXmlException {
    // plivo-java writes attribute values and text into the XML as they are, without escaping, so a
    // "&" in PUBLIC_URL would make the document invalid. Escape them here.
    Dial dial =
        new Dial()
            .action(escapeXml(publicUrl + ACTION_PATH))
            .method("POST")
            .redirect(true)
            .children(new Number(escapeXml(dialNumber)));
    return new Response().children(dial).toXmlString();
  }

  private void answer(Context ctx, Map<String, String> params) {
    ctx.contentType(XML).result(answerXml);
  }

  // --8<-- [end:answer]

  // --8<-- [start:action]
  /** With redirect="true" Plivo runs the action URL's XML; an empty Response ends the call. */
  static String completedXml() throws PlivoXmlException {
    return new Response().toXmlString();
  }

  static String notReachedXml() throws PlivoValidationException, PlivoXmlException {
    return new Response()
        .children(
            new Speak("Sorry, the person you are calling could not be reached. Goodbye."),
            new Hangup())
        .toXmlString();
  }

  private void action(Context ctx, Map<String, String> params) {
    String status = params.get("DialStatus");
    if (status == null || status.isEmpty()) {
      throw new BadRequestResponse("DialStatus is missing");
    }
    log.println(
        "dial-status status="
            + forLog(status)
            + " aleg="
            + forLog(params.get("DialALegUUID"))
            + " bleg="
            + forLog(params.get("DialBLegUUID"))
            + " hangup_cause="
            + forLog(params.get("DialHangupCause"))
            + " rang="
            + forLog(params.get("DialRingStatus")));
    log.flush();
    // Any other status, including one Plivo adds later, means nobody answered.
    ctx.contentType(XML).result(status.equals("completed") ? completedXml : notReachedXml);
  }

  /** A value that can neither end the log line nor forge another field: controls become "_". */
  static String forLog(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder safe = new StringBuilder(value.length());
    value
        .codePoints()
        .forEach(c -> safe.appendCodePoint(c <= 0x20 || (c >= 0x7f && c <= 0x9f) ? '_' : c));
    return safe.toString();
  }

  // --8<-- [end:action]

  /**
   * Checks what every webhook request must pass, in this order: method (405), body size (413), form
   * encoding (415, 400) and Plivo's signature (403). Then calls {@code endpoint} with the query
   * parameters (GET) or the body's form fields (POST).
   */
  private Handler webhook(Webhook endpoint) {
    return ctx -> {
      // The real method, not ctx.method(), which honours an X-HTTP-Method-Override header. The
      // switch also yields the literals "GET" and "POST" that the SDK's == comparison needs.
      String method =
          switch (ctx.req().getMethod()) {
            case "GET" -> "GET";
            case "POST" -> "POST";
            default -> null;
          };
      if (method == null) {
        ctx.header(Header.ALLOW, "GET, POST");
        throw new MethodNotAllowedResponse();
      }
      if (ctx.req().getContentLengthLong() > MAX_BODY_BYTES) {
        throw new ContentTooLargeResponse();
      }
      Map<String, String> query;
      Map<String, String> body;
      try {
        String rawQuery = ctx.queryString();
        query =
            FormFields.parse(
                rawQuery == null ? new byte[0] : rawQuery.getBytes(StandardCharsets.UTF_8));
        body = method.equals("POST") ? formBody(ctx) : Map.of();
      } catch (MalformedFormException e) {
        throw new BadRequestResponse("Malformed form data: " + e.getMessage());
      }
      if (!signatureIsValid(ctx, method, query, body)) {
        throw new ForbiddenResponse("Invalid or missing X-Plivo-Signature-V3");
      }
      endpoint.handle(ctx, method.equals("GET") ? query : body);
    };
  }

  /** The form fields of a POST body; only its own fields, never the query's. */
  private static Map<String, String> formBody(Context ctx) throws MalformedFormException {
    byte[] body;
    try (InputStream in = ctx.bodyInputStream()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    } catch (IOException | RuntimeException e) {
      // A broken chunked encoding, a client that went away, a read timeout.
      throw new BadRequestResponse("Unreadable request body");
    }
    if (body.length > MAX_BODY_BYTES) {
      throw new ContentTooLargeResponse();
    }
    if (body.length == 0) {
      return Map.of();
    }
    // The raw header: Jetty's parsed content type throws on an unknown charset name.
    String contentType = ctx.header(Header.CONTENT_TYPE);
    if (contentType == null || !contentType.split(";", 2)[0].trim().equalsIgnoreCase(FORM)) {
      throw new UnsupportedMediaTypeResponse("Expected " + FORM);
    }
    return FormFields.parse(body);
  }

  // --8<-- [start:verify]
  /** True when X-Plivo-Signature-V3 holds Plivo's signature of this request. */
  @SuppressWarnings("unchecked") // validateSignatureV3 takes its map as a generic varargs
  private boolean signatureIsValid(
      Context ctx, String method, Map<String, String> query, Map<String, String> body) {
    String signatures = ctx.header("X-Plivo-Signature-V3");
    String nonce = ctx.header("X-Plivo-Signature-V3-Nonce");
    if (signatures == null || nonce == null) {
      return false;
    }
    // The URL Plivo requested: ours as the public sees it, whatever Host the proxy sent.
    String url = settings.publicUrl() + ctx.path();
    String token = settings.authToken();
    boolean get = method.equals("GET");
    if (sdkCanCheckSignatures && !(get ? query : body).isEmpty()) {
      try {
        if (get) {
          // For GET the SDK signs the URL's query merged with the map it is given. It URL-decodes
          // the whole URL before splitting the query, so an encoded "&" or "=" in a value would
          // split wrongly: pass the URL without its query, and the decoded query as the map.
          return Utils.validateSignatureV3(url, nonce, signatures, token, "GET", query);
        }
        String rawQuery = ctx.queryString();
        String fullUrl = rawQuery == null ? url : url + "?" + rawQuery;
        return Utils.validateSignatureV3(fullUrl, nonce, signatures, token, "POST", body);
      } catch (Exception e) {
        // The SDK throws on input it cannot parse (a repeated query key, for one): not Plivo's.
        return false;
      }
    }
    // plivo-java drops the port from the URL it signs (URL.getHost()), throws on a GET without
    // parameters and signs a POST without fields with a stray "?". Plivo signs the URL as it
    // called it, port included, so those requests are checked with the same algorithm here.
    return SignatureV3.matches(signatures, nonce, token, method, url, query, body);
  }

  // --8<-- [end:verify]

  /** Escapes text for an XML attribute value or element content. */
  static String escapeXml(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&apos;");
  }
}
