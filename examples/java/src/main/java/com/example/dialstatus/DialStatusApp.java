package com.example.dialstatus;

import com.plivo.api.exceptions.PlivoValidationException;
import com.plivo.api.exceptions.PlivoXmlException;
import com.plivo.api.xml.Dial;
import com.plivo.api.xml.Number;
import com.plivo.api.xml.Response;
import com.plivo.api.xml.Speak;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.ExceptionHandler;
import io.javalin.util.JavalinBindException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Plivo dial status reporting: the answer URL dials a number, and the Dial's action URL logs how
 * the dial ended and tells Plivo what to do next.
 */
public final class DialStatusApp {

  static final String XML = "application/xml; charset=utf-8";
  static final String APOLOGY = "Sorry, the person you are calling could not be reached. Goodbye.";
  // UTF-8 whatever the locale: System.out would write "?" for non-ASCII under LANG=C.
  private static final PrintStream STDOUT =
      new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
  private static final Pattern LOG_UNSAFE = Pattern.compile("[\\x00-\\x20\\x7f-\\x9f\u2028\u2029]");

  // Built once: the SDK's builders throw checked exceptions, which then stop the start-up.
  private final String dialXml;
  private final String emptyXml = new Response().toXmlString();
  private final String sorryXml = new Response().children(new Speak(APOLOGY)).toXmlString();

  /** The app, configured from {@code env}; it refuses to exist without PLIVO_AUTH_TOKEN. */
  static Javalin create(Map<String, String> env, int port)
      throws PlivoValidationException, PlivoXmlException {
    String authToken = setting(env, "PLIVO_AUTH_TOKEN", "");
    if (authToken.isEmpty()) {
      throw new IllegalArgumentException(
          "PLIVO_AUTH_TOKEN is not set: it is needed to check Plivo's signatures");
    }
    String publicUrl = setting(env, "PUBLIC_URL", "http://127.0.0.1:" + port).replaceAll("/+$", "");
    DialStatusApp app = new DialStatusApp(publicUrl, setting(env, "DIAL_NUMBER", "+15555550100"));
    return Javalin.create(
        config -> {
          config.http.prefer405over404 = true;
          config.http.maxRequestSize = 64 * 1024; // larger bodies get 413
          // Javalin would answer 500 to a form in an unknown charset and to a body cut short.
          ExceptionHandler<Exception> malformed = (e, ctx) -> ctx.status(400).result("Bad Request");
          config.routes.exception(UnsupportedCharsetException.class, malformed);
          config.routes.exception(IllegalCharsetNameException.class, malformed);
          config.routes.exception(IOException.class, malformed);
          config.routes.beforeMatched(new PlivoSignature(authToken, publicUrl));
          config.routes.get("/dialstatus/", app::answer);
          config.routes.post("/dialstatus/", app::answer);
          config.routes.get("/dialstatus/action/", app::action);
          config.routes.post("/dialstatus/action/", app::action);
        });
  }

  // --8<-- [start:answer]
  private DialStatusApp(String publicUrl, String dialNumber)
      throws PlivoValidationException, PlivoXmlException {
    // plivo-java writes attribute values and text as they are, so escape them here.
    Dial dial = new Dial().action(escapeXml(publicUrl + "/dialstatus/action/")).method("POST");
    dial.redirect(true).children(new Number(escapeXml(dialNumber)));
    dialXml = new Response().children(dial).toXmlString();
  }

  private void answer(Context ctx) {
    String status = param(ctx, "CallStatus");
    if (List.of("", "ringing", "in-progress").contains(status)) {
      ctx.contentType(XML).result(dialXml);
      return;
    }
    // The hangup request: the call has ended.
    log(
        "call-hangup call=%s status=%s hangup_cause=%s duration=%s",
        param(ctx, "CallUUID"), status, param(ctx, "HangupCause"), param(ctx, "Duration"));
    ctx.contentType(XML).result(emptyXml);
  }

  // --8<-- [end:answer]

  // --8<-- [start:action]
  private void action(Context ctx) {
    String status = param(ctx, "DialStatus");
    if (status.isEmpty()) {
      throw new BadRequestResponse("DialStatus is missing");
    }
    log(
        "dial-status status=%s aleg=%s bleg=%s hangup_cause=%s rang=%s",
        status,
        param(ctx, "DialALegUUID"),
        param(ctx, "DialBLegUUID"),
        param(ctx, "DialHangupCause"),
        param(ctx, "DialRingStatus"));
    // Plivo runs this reply (redirect="true"). Any status but completed, even a new one, is a miss.
    ctx.contentType(XML).result(status.equals("completed") ? emptyXml : sorryXml);
  }

  // --8<-- [end:action]

  /** The first value of Plivo's parameter {@code name}, or "". */
  private static String param(Context ctx, String name) {
    return PlivoSignature.fields(ctx).getOrDefault(name, List.of("")).get(0);
  }

  /** Replaces spaces, controls and Unicode line breaks with "_": a value cannot forge a line. */
  static String logSafe(String value) {
    return value == null ? "" : LOG_UNSAFE.matcher(value).replaceAll("_");
  }

  /** One line on stdout, each value through logSafe, in one synchronized write, flushed. */
  static void log(String format, String... values) {
    STDOUT.print(format.formatted(Stream.of(values).map(DialStatusApp::logSafe).toArray()) + "\n");
  }

  static String escapeXml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
  }

  private static String setting(Map<String, String> env, String name, String fallback) {
    return env.getOrDefault(name, "").isEmpty() ? fallback : env.get(name);
  }

  public static void main(String[] args) {
    String port = setting(System.getenv(), "PORT", "8086");
    try {
      if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
        throw new IllegalArgumentException("PORT must be a number from 0 to 65535, not " + port);
      }
      create(System.getenv(), Integer.parseInt(port))
          .start(setting(System.getenv(), "HOST", "127.0.0.1"), Integer.parseInt(port));
    } catch (IllegalArgumentException
        | JavalinBindException
        | PlivoValidationException
        | PlivoXmlException e) {
      System.err.println("dialstatus: " + e.getMessage());
      System.exit(1);
    }
  }
}
