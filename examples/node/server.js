// Dial status reporting with Express 5 and Plivo's Node SDK.
//
// Plivo requests /dialstatus/ when a call comes in; the XML returned there
// dials DIAL_NUMBER. When that dial ends, Plivo requests /dialstatus/action/
// with the outcome, and because the Dial has redirect="true", the call goes
// on with the XML that URL returns. When the call ends, Plivo requests
// /dialstatus/ again.

import express from "express";
import plivo from "plivo";

const authToken = process.env.PLIVO_AUTH_TOKEN;
if (!authToken) {
  fail(
    "PLIVO_AUTH_TOKEN is not set: it is needed to check Plivo's signatures.",
  );
}
const host = process.env.HOST || "127.0.0.1";
const port = process.env.PORT || "8081";
if (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
  fail(`PORT must be a port number from 1 to 65535, not "${port}".`);
}
// The base URL Plivo uses to reach this server (your tunnel or domain).
const publicUrl = (
  process.env.PUBLIC_URL || `http://127.0.0.1:${port}`
).replace(/\/+$/, "");
const dialNumber = process.env.DIAL_NUMBER || "+15555550100";
const apology =
  "Sorry, the person you are calling could not be reached. Goodbye.";

function fail(message) {
  console.error(message);
  process.exit(1);
}

// Spaces, controls (CR and LF included) and Unicode line separators would
// let a caller forge log lines or fields, so each becomes "_".
function logSafe(value) {
  return value.replace(/[\u0000-\u0020\u007f-\u009f\u2028\u2029]/g, "_");
}

// One write per line: Node writes it whole, and stdout to a pipe or a file
// is synchronous on Linux, so nothing is left in a buffer.
function log(line) {
  process.stdout.write(`${line}\n`);
}

// Plivo's parameters: the form body of a POST, the query string of a GET.
// A repeated field arrives as an array: its first value counts.
function field(req, name) {
  const value = (req.method === "POST" ? req.body : req.query)?.[name];
  return String((Array.isArray(value) ? value[0] : value) ?? "");
}

function sendXml(res, response) {
  res.type("application/xml").send(response.toXML());
}

// --8<-- [start:verify]
// Refuses with 403 any request that does not carry a valid V3 signature.
// Plivo signs the URL it called (PUBLIC_URL, then the path and query as sent,
// not the Host header seen behind a tunnel) and, for a POST, the form body.
function verifyPlivoSignature(req, res, next) {
  const signature = req.get("X-Plivo-Signature-V3");
  const nonce = req.get("X-Plivo-Signature-V3-Nonce");
  const url = publicUrl + req.originalUrl;
  const params = req.method === "POST" ? (req.body ?? {}) : {};
  let reason = "no-signature";
  if (signature && nonce) {
    let valid = false;
    try {
      valid = plivo.validateV3Signature(
        req.method,
        url,
        nonce,
        authToken,
        signature,
        params,
      );
    } catch {
      // The SDK throws on input it cannot handle (a HEAD, say): not signed.
    }
    reason = valid ? null : "bad-signature";
  }
  if (reason) {
    log(`request-refused reason=${reason} url=${logSafe(url)}`);
    res.status(403).type("text/plain").send("Missing or invalid signature\n");
    return;
  }
  next();
}
// --8<-- [end:verify]

// --8<-- [start:answer]
function answer(req, res) {
  const status = field(req, "CallStatus");
  if (["", "ringing", "in-progress"].includes(status)) {
    const response = new plivo.Response();
    response
      .addDial({
        action: `${publicUrl}/dialstatus/action/`,
        method: "POST",
        redirect: "true", // Plivo runs the XML the action URL returns
      })
      .addNumber(dialNumber);
    sendXml(res, response);
    return;
  }
  // Any other CallStatus is the hangup request: the call is over.
  log(
    `call-hangup call=${logSafe(field(req, "CallUUID"))}` +
      ` status=${logSafe(status)}` +
      ` hangup_cause=${logSafe(field(req, "HangupCause"))}` +
      ` duration=${logSafe(field(req, "Duration"))}`,
  );
  sendXml(res, new plivo.Response());
}
// --8<-- [end:answer]

// --8<-- [start:action]
function dialAction(req, res) {
  const status = field(req, "DialStatus");
  if (!status) {
    res.status(400).type("text/plain").send("DialStatus is missing\n");
    return;
  }
  log(
    `dial-status status=${logSafe(status)}` +
      ` aleg=${logSafe(field(req, "DialALegUUID"))}` +
      ` bleg=${logSafe(field(req, "DialBLegUUID"))}` +
      ` hangup_cause=${logSafe(field(req, "DialHangupCause"))}` +
      ` rang=${logSafe(field(req, "DialRingStatus"))}`,
  );
  // redirect="true": Plivo runs this XML next. An empty <Response/> ends
  // the call; any other status (Plivo may add new ones) is a failed dial.
  const response = new plivo.Response();
  if (status !== "completed") {
    response.addSpeak(apology);
  }
  sendXml(res, response);
}
// --8<-- [end:action]

const app = express();
app.disable("x-powered-by");
// Flat key=value pairs, as Plivo sends and signs them; over 64 KiB: 413.
const formBody = express.urlencoded({ extended: false, limit: "64kb" });
for (const [path, handler] of [
  ["/dialstatus/", answer],
  ["/dialstatus/action/", dialAction],
]) {
  app
    .route(path)
    .get(verifyPlivoSignature, handler)
    .post(formBody, verifyPlivoSignature, handler)
    .all((req, res) => {
      res.set("Allow", "GET, POST").sendStatus(405);
    });
}

// Body errors (too large, an unknown charset) carry a 4xx status; Express's
// own handler would also print their stack traces.
app.use((err, req, res, next) => {
  const clientError = err.status >= 400 && err.status < 500;
  if (!clientError) {
    console.error(`Error: ${err.message}`);
  }
  res
    .status(clientError ? err.status : 500)
    .type("text/plain")
    .send(clientError && err.expose ? `${err.message}\n` : "Error\n");
});

app.listen(Number(port), host, (error) => {
  if (error) {
    fail(`Cannot listen on ${host}:${port}: ${error.message}`);
  }
  console.log(`Listening on http://${host}:${port}, public URL ${publicUrl}`);
});
