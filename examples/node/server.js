// Dial status reporting with Plivo XML and Express 5.
//
// GET|POST /dialstatus/         answer URL: dials DIAL_NUMBER and asks Plivo
//                               to report the outcome to the action URL
// GET|POST /dialstatus/action/  action URL: logs the outcome and tells Plivo
//                               what to do next with the caller

import http from "node:http";

import express from "express";
import plivo from "plivo";

const authToken = process.env.PLIVO_AUTH_TOKEN;
if (!authToken) {
  console.error(
    "PLIVO_AUTH_TOKEN is not set. Set it to your Plivo auth token: it is " +
      "needed to check that requests come from Plivo.",
  );
  process.exit(1);
}

const host = process.env.HOST || "127.0.0.1";
const portText = process.env.PORT || "8081";
const port = Number(portText);
if (!/^[0-9]{1,5}$/.test(portText) || port > 65535) {
  console.error(`PORT must be a TCP port number, got ${process.env.PORT}`);
  process.exit(1);
}

// The public base URL is what Plivo signs, so it must be the exact scheme,
// host and port Plivo calls (your tunnel or domain), not whatever Host header
// reaches this process behind a proxy.
const publicUrl = (
  process.env.PUBLIC_URL || `http://127.0.0.1:${port}`
).replace(/\/+$/, "");
if (!isBaseUrl(publicUrl)) {
  console.error(
    `PUBLIC_URL must be an http(s) URL without a query, fragment or quote, got ${publicUrl}`,
  );
  process.exit(1);
}

const dialNumber = process.env.DIAL_NUMBER || "+15555550100";

function isBaseUrl(value) {
  try {
    const url = new URL(value);
    return (
      (url.protocol === "http:" || url.protocol === "https:") &&
      !url.search &&
      !url.hash &&
      // the SDK writes attribute values with raw quotes (see README)
      !value.includes('"')
    );
  } catch {
    return false;
  }
}

// Parses form bodies for POST only: Plivo signs a POST over the URL plus the
// body fields, so the query string must not be merged into them.
const formBody = express.urlencoded({
  extended: false, // flat key/value pairs, exactly as Plivo sends and signs them
  limit: "64kb", // over the limit: 413
  inflate: false, // Plivo does not compress requests: 415 for Content-Encoding
  verify: rejectMalformedForm,
});

// body-parser does not fail on broken input: a bad escape such as %ZZ, or
// one that is not UTF-8 such as %FF, stays literal text, and raw bytes that
// are not UTF-8 become U+FFFD. Check the raw body before it is parsed.
function rejectMalformedForm(req, res, buf, encoding) {
  const refuse = (status, message) =>
    Object.assign(new Error(message), { status, expose: true });
  if (encoding !== "utf-8") {
    throw refuse(415, "Form bodies must be UTF-8");
  }
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(buf);
  } catch {
    throw refuse(400, "Body is not valid UTF-8");
  }
  try {
    decodeURIComponent(text.replaceAll("+", " "));
  } catch {
    throw refuse(400, "Malformed percent-encoding in form body");
  }
}

// A request that is not a form cannot carry Plivo's parameters.
function requireFormOrEmpty(req, res, next) {
  if (req.is("application/x-www-form-urlencoded") === false) {
    res
      .status(415)
      .type("text/plain")
      .send("Expected application/x-www-form-urlencoded\n");
    return;
  }
  next();
}

// Plivo only sends GET or POST. Anything else is refused before the
// signature check, which would throw on another method.
function onlyGetOrPost(req, res, next) {
  if (req.method === "GET" || req.method === "POST") {
    next();
    return;
  }
  res
    .set("Allow", "GET, POST")
    .status(405)
    .type("text/plain")
    .send("Method not allowed\n");
}

// --8<-- [start:verify]
// Checks X-Plivo-Signature-V3 with the SDK. Plivo signs the URL it called
// (PUBLIC_URL + path + query) and, for POST, the form fields of the body.
function verifyPlivoSignature(req, res, next) {
  const signature = req.get("X-Plivo-Signature-V3");
  const nonce = req.get("X-Plivo-Signature-V3-Nonce");
  const params = req.method === "POST" ? (req.body ?? {}) : {};
  let valid = false;
  if (signature && nonce) {
    try {
      valid = plivo.validateV3Signature(
        req.method,
        publicUrl + req.originalUrl,
        nonce,
        authToken,
        signature,
        params,
      );
    } catch {
      // The SDK throws on input it cannot handle: treat it as not signed.
      valid = false;
    }
  }
  if (!valid) {
    res
      .status(403)
      .type("text/plain")
      .send("Invalid or missing Plivo signature\n");
    return;
  }
  next();
}
// --8<-- [end:verify]

// Plivo's parameters arrive in the query string for GET and in the form body
// for POST. A repeated field arrives as an array: use its first value.
function plivoParams(req) {
  return req.method === "POST" ? (req.body ?? {}) : req.query;
}

function field(params, name) {
  if (!Object.hasOwn(params, name)) return "";
  const value = Array.isArray(params[name]) ? params[name][0] : params[name];
  return typeof value === "string" ? value : "";
}

// Replaces spaces and control characters so a value can neither break the
// log line nor pose as another field.
function clean(value) {
  return value.replace(/[\u0000-\u0020\u007f-\u009f]/g, "_");
}

// --8<-- [start:answer]
function answer(req, res) {
  const response = new plivo.Response();
  const dial = response.addDial({
    action: `${publicUrl}/dialstatus/action/`,
    method: "POST",
    redirect: "true", // Plivo runs the XML the action URL returns
  });
  dial.addNumber(dialNumber);
  res.type("application/xml").send(response.toXML());
}
// --8<-- [end:answer]

// --8<-- [start:action]
function dialAction(req, res) {
  const params = plivoParams(req);
  const status = field(params, "DialStatus");
  if (!status) {
    res.status(400).type("text/plain").send("Missing DialStatus\n");
    return;
  }

  process.stdout.write(
    `dial-status status=${clean(status)}` +
      ` aleg=${clean(field(params, "DialALegUUID"))}` +
      ` bleg=${clean(field(params, "DialBLegUUID"))}` +
      ` hangup_cause=${clean(field(params, "DialHangupCause"))}` +
      ` rang=${clean(field(params, "DialRingStatus"))}\n`,
  );

  // redirect="true" means Plivo carries on with this XML, so always reply
  // with a <Response>. An empty one ends the call.
  const response = new plivo.Response();
  if (status !== "completed") {
    // busy, failed, timeout, no-answer and any value Plivo may add later
    response.addSpeak(
      "Sorry, we could not connect your call. Please try again later.",
    );
  }
  res.type("application/xml").send(response.toXML());
}
// --8<-- [end:action]

const app = express();
app.disable("x-powered-by");

app
  .route("/dialstatus/")
  .all(onlyGetOrPost)
  .get(verifyPlivoSignature, answer)
  .post(requireFormOrEmpty, formBody, verifyPlivoSignature, answer);

app
  .route("/dialstatus/action/")
  .all(onlyGetOrPost)
  .get(verifyPlivoSignature, dialAction)
  .post(requireFormOrEmpty, formBody, verifyPlivoSignature, dialAction);

// Express's default error page would answer with a stack trace outside
// production. Body errors (too large, malformed, wrong charset) carry a 4xx
// status; anything else can only come from the request too, since the
// handlers do no I/O, so it is reported as a bad request rather than a 5xx.
app.use((err, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  const status = err.status ?? err.statusCode;
  const clientError = Number.isInteger(status) && status >= 400 && status < 500;
  if (!clientError) {
    console.error("Unexpected error:", err);
  }
  res
    .status(clientError ? status : 400)
    .type("text/plain")
    .send(clientError && err.expose ? `${err.message}\n` : "Bad request\n");
});

// Plivo's requests are small and quick: a client that has not sent its whole
// request within 10 s gets a 408 instead of holding a connection for Node's
// default five minutes.
const server = http.createServer({ requestTimeout: 10_000 }, app);
server.on("error", (err) => {
  console.error(`Cannot listen on ${host}:${port}: ${err.message}`);
  process.exit(1);
});
server.listen(port, host, () => {
  console.log(`Listening on http://${host}:${port}, public URL ${publicUrl}`);
});
