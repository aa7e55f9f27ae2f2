// Command dialstatus is a small Plivo webhook server: its answer URL dials one
// number, and its Dial action URL logs how that dial ended and tells Plivo
// what to do next.
package main

import (
	stdxml "encoding/xml"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/plivo/plivo-go/v7"
	"github.com/plivo/plivo-go/v7/xml"
)

const maxBodyBytes = 64 << 10

type app struct {
	authToken  string
	publicURL  string
	dialNumber string
}

func newApp(getenv func(string) string, port string) (*app, error) {
	a := &app{
		authToken:  getenv("PLIVO_AUTH_TOKEN"),
		publicURL:  strings.TrimRight(valueOr(getenv("PUBLIC_URL"), "http://127.0.0.1:"+port), "/"),
		dialNumber: valueOr(getenv("DIAL_NUMBER"), "+15555550100"),
	}
	if a.authToken == "" {
		return nil, errors.New("PLIVO_AUTH_TOKEN is not set: it is needed to check Plivo's signatures")
	}
	return a, nil
}

func valueOr(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
}

func (a *app) routes() *http.ServeMux {
	mux := http.NewServeMux()
	// "{$}" matches the path exactly; other methods get 405 from ServeMux.
	for _, method := range []string{"GET", "POST"} {
		mux.Handle(method+" /dialstatus/{$}", a.plivoSigned(a.answer))
		mux.Handle(method+" /dialstatus/action/{$}", a.plivoSigned(a.action))
	}
	return mux
}

// --8<-- [start:answer]
func (a *app) answer(w http.ResponseWriter, r *http.Request, params url.Values) {
	switch status := params.Get("CallStatus"); status {
	case "", "ringing", "in-progress": // the call is starting: dial
		// plivo-go writes <Number> contents unescaped, so escape DIAL_NUMBER here.
		var number strings.Builder
		_ = stdxml.EscapeText(&number, []byte(a.dialNumber))
		writeXML(w, xml.ResponseElement{Contents: []any{
			new(xml.DialElement).
				SetAction(a.publicURL + "/dialstatus/action/").
				SetMethod("POST").
				SetRedirect(true).
				SetContents([]any{new(xml.NumberElement).SetContents(number.String())}),
		}})
	default: // the hangup request: the call has ended
		logLine("call-hangup call=%s status=%s hangup_cause=%s duration=%s", params.Get("CallUUID"), status,
			params.Get("HangupCause"), params.Get("Duration"))
		writeXML(w, xml.ResponseElement{})
	}
}

// --8<-- [end:answer]

// --8<-- [start:action]
func (a *app) action(w http.ResponseWriter, r *http.Request, params url.Values) {
	status := params.Get("DialStatus")
	if status == "" {
		http.Error(w, "DialStatus is missing", http.StatusBadRequest)
		return
	}
	logLine("dial-status status=%s aleg=%s bleg=%s hangup_cause=%s rang=%s", status, params.Get("DialALegUUID"),
		params.Get("DialBLegUUID"), params.Get("DialHangupCause"), params.Get("DialRingStatus"))
	// redirect="true": Plivo runs this reply. An empty <Response/> ends the
	// call; any other status (Plivo may add new ones) is a failed dial.
	response := xml.ResponseElement{}
	if status != "completed" {
		response.Contents = []any{
			new(xml.SpeakElement).AddSpeak("Sorry, the person you are calling could not be reached. Goodbye."),
		}
	}
	writeXML(w, response)
}

// --8<-- [end:action]

// logLine writes one line to stdout in a single write, each value through logSafe.
func logLine(format string, values ...string) {
	safe := make([]any, len(values))
	for i, value := range values {
		safe[i] = logSafe(value)
	}
	fmt.Fprintln(os.Stdout, fmt.Sprintf(format, safe...))
}

// logSafe replaces spaces, controls and Unicode line breaks with "_", so a
// value can neither end the log line nor forge another field.
func logSafe(value string) string {
	return strings.Map(func(r rune) rune {
		if r <= 0x20 || (r >= 0x7f && r <= 0x9f) || r == '\u2028' || r == '\u2029' {
			return '_'
		}
		return r
	}, value)
}

func writeXML(w http.ResponseWriter, response xml.ResponseElement) {
	w.Header().Set("Content-Type", "application/xml")
	_, _ = w.Write([]byte(response.String()))
}

// --8<-- [start:verify]
// plivoSigned calls next with the request's parameters (the form body for
// POST, the query for GET) only when X-Plivo-Signature-V3 is Plivo's.
func (a *app) plivoSigned(next func(http.ResponseWriter, *http.Request, url.Values)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		if err := r.ParseForm(); err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				http.Error(w, "the body is larger than 64 KiB", http.StatusRequestEntityTooLarge)
			} else {
				http.Error(w, "malformed query or form body", http.StatusBadRequest)
			}
			return
		}
		fields := r.URL.Query()
		if r.Method == http.MethodPost {
			fields = r.PostForm
		}
		// Plivo signs the URL it called: PUBLIC_URL, the path and the query.
		base := a.publicURL + r.URL.EscapedPath()
		called, signed := base, base
		if r.URL.RawQuery != "" {
			called += "?" + r.URL.RawQuery
			signed += "?" + foldRepeated(r.URL.Query(), "&%s=").Encode()
		}
		body := map[string]string{}
		if r.Method == http.MethodPost {
			for key, values := range foldRepeated(r.PostForm, "%s") {
				body[key] = values[0]
			}
		}
		signature := r.Header.Get("X-Plivo-Signature-V3")
		nonce := r.Header.Get("X-Plivo-Signature-V3-Nonce")
		reason := "bad-signature"
		if signature == "" || nonce == "" {
			reason = "no-signature"
		} else if plivo.ValidateSignatureV3(signed, nonce, r.Method, signature, a.authToken, body) {
			next(w, r, fields)
			return
		}
		logLine("request-refused reason=%s url=%s", reason, called)
		http.Error(w, "missing or invalid X-Plivo-Signature-V3", http.StatusForbidden)
	})
}

// foldRepeated works around plivo-go signing only the first value of a
// repeated key, where Plivo signs all of them, sorted: it joins them into one
// value with separator (a format given the key), which signs the same.
func foldRepeated(values url.Values, separator string) url.Values {
	folded := url.Values{}
	for key, all := range values {
		folded.Set(key, strings.Join(slices.Sorted(slices.Values(all)), fmt.Sprintf(separator, key)))
	}
	return folded
}

// --8<-- [end:verify]

func main() {
	port := valueOr(os.Getenv("PORT"), "8087")
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		fail(fmt.Errorf("PORT %q is not a port number from 1 to 65535", port))
	}
	a, err := newApp(os.Getenv, port)
	if err != nil {
		fail(err)
	}
	listener, err := net.Listen("tcp", net.JoinHostPort(valueOr(os.Getenv("HOST"), "127.0.0.1"), port))
	if err != nil {
		fail(err)
	}
	server := &http.Server{
		Handler: a.routes(),
		// A slow or stalled client cannot hold a connection for ever.
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	fmt.Fprintf(os.Stderr, "dialstatus: listening on http://%s (answer URL %s/dialstatus/)\n", listener.Addr(), a.publicURL)
	fail(server.Serve(listener))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "dialstatus:", err)
	os.Exit(1)
}
