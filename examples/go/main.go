// Command dialstatus is a small Plivo webhook server: its answer URL dials one
// number, and its Dial action URL logs how that dial ended and tells Plivo
// what to do next.
package main

import (
	"context"
	stdxml "encoding/xml"
	"errors"
	"fmt"
	"log"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/plivo/plivo-go/v7"
	"github.com/plivo/plivo-go/v7/xml"
)

const (
	defaultPort       = "8087"
	defaultHost       = "127.0.0.1"
	defaultDialNumber = "+15555550100"
	maxBodyBytes      = 64 << 10
	formContentType   = "application/x-www-form-urlencoded"
)

type config struct {
	authToken  string
	publicURL  string
	dialNumber string
	addr       string
}

func loadConfig(getenv func(string) string) (config, error) {
	cfg := config{authToken: getenv("PLIVO_AUTH_TOKEN")}
	if cfg.authToken == "" {
		return cfg, errors.New("PLIVO_AUTH_TOKEN is not set; it is needed to check X-Plivo-Signature-V3, so the server will not start without it")
	}

	host := valueOr(getenv("HOST"), defaultHost)
	port := valueOr(getenv("PORT"), defaultPort)
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return cfg, fmt.Errorf("PORT %q is not a port number between 1 and 65535", port)
	}
	cfg.addr = net.JoinHostPort(host, port)

	cfg.publicURL = strings.TrimRight(valueOr(getenv("PUBLIC_URL"), "http://127.0.0.1:"+port), "/")
	u, err := url.Parse(cfg.publicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return cfg, fmt.Errorf("PUBLIC_URL %q must be an http:// or https:// URL without a query or fragment", cfg.publicURL)
	}

	cfg.dialNumber = valueOr(getenv("DIAL_NUMBER"), defaultDialNumber)
	return cfg, nil
}

func valueOr(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
}

type app struct {
	authToken string
	publicURL string
	// dialNumberXML is DIAL_NUMBER already escaped for XML text: plivo-go
	// writes <Number> contents as raw inner XML, so an unescaped "&" or "<"
	// would produce a broken document (or inject elements) instead of a dial.
	dialNumberXML string
	log           *log.Logger
}

func newApp(cfg config, out *log.Logger) *app {
	var escaped strings.Builder
	_ = stdxml.EscapeText(&escaped, []byte(cfg.dialNumber))
	return &app{
		authToken:     cfg.authToken,
		publicURL:     cfg.publicURL,
		dialNumberXML: escaped.String(),
		log:           out,
	}
}

func (a *app) routes() *http.ServeMux {
	mux := http.NewServeMux()
	// "{$}" pins each pattern to exactly its own path; a pattern ending in
	// "/" alone would also match everything below it. Other methods get 405
	// from ServeMux itself, before verified() runs.
	mux.Handle("GET /dialstatus/{$}", a.verified(a.answer))
	mux.Handle("POST /dialstatus/{$}", a.verified(a.answer))
	mux.Handle("GET /dialstatus/action/{$}", a.verified(a.action))
	mux.Handle("POST /dialstatus/action/{$}", a.verified(a.action))
	// Without these, ServeMux answers 301 to the slash-less paths, and a
	// client following a 301 repeats a POST as a GET without its body.
	// Plivo signs the URL it called, so no redirect can succeed: a plain
	// 404 shows a misconfigured URL straight away.
	mux.HandleFunc("/dialstatus", http.NotFound)
	mux.HandleFunc("/dialstatus/action", http.NotFound)
	return mux
}

// --8<-- [start:answer]
func (a *app) answer(w http.ResponseWriter, r *http.Request) {
	response := xml.ResponseElement{
		Contents: []interface{}{
			new(xml.DialElement).
				SetAction(a.publicURL + "/dialstatus/action/").
				SetMethod("POST").
				SetRedirect(true).
				SetContents([]interface{}{
					new(xml.NumberElement).SetContents(a.dialNumberXML),
				}),
		},
	}
	writeXML(w, response.String())
}

// --8<-- [end:answer]

// --8<-- [start:action]
func (a *app) action(w http.ResponseWriter, r *http.Request) {
	params := callbackParams(r)
	status := params.Get("DialStatus")
	if status == "" {
		http.Error(w, "DialStatus is missing", http.StatusBadRequest)
		return
	}
	a.log.Printf("dial-status status=%s aleg=%s bleg=%s hangup_cause=%s rang=%s",
		sanitize(status),
		sanitize(params.Get("DialALegUUID")),
		sanitize(params.Get("DialBLegUUID")),
		sanitize(params.Get("DialHangupCause")),
		sanitize(params.Get("DialRingStatus")))

	// redirect="true" makes Plivo run this reply: an empty <Response/> ends
	// the call; any other status (busy, failed, timeout, no-answer, or a value
	// Plivo adds later) tells the caller before the call ends.
	response := xml.ResponseElement{}
	if status != "completed" {
		response.Contents = []interface{}{
			new(xml.SpeakElement).AddSpeak("Sorry, we could not reach the person you are calling. Please try again later."),
		}
	}
	writeXML(w, response.String())
}

// --8<-- [end:action]

// callbackParams returns the parameters Plivo sent: the form body for POST
// (query parameters belong to the URL, not to the callback), the query
// string for GET.
func callbackParams(r *http.Request) url.Values {
	if r.Method == http.MethodPost {
		return r.PostForm
	}
	return r.Form
}

// sanitize replaces every space, C0 control, DEL and C1 control with "_", so
// a value can neither end the log line nor fake another field. Ranging over
// a string yields runes; a byte that is not valid UTF-8 comes out as U+FFFD.
func sanitize(value string) string {
	var b strings.Builder
	for _, r := range value {
		if r <= 0x20 || (r >= 0x7f && r <= 0x9f) {
			b.WriteByte('_')
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func writeXML(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "application/xml")
	_, _ = w.Write([]byte(body))
}

// verified reads the request's parameters and checks Plivo's signature
// before next runs. Anything unreadable or unsigned ends here with a 4xx.
func (a *app) verified(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if status, msg := readParams(w, r); status != 0 {
			http.Error(w, msg, status)
			return
		}
		if !a.validSignature(r) {
			http.Error(w, "invalid or missing X-Plivo-Signature-V3", http.StatusForbidden)
			return
		}
		next(w, r)
	})
}

// readParams parses the query string and, for POST, the form body, and
// returns a 4xx status and message when they cannot be used.
func readParams(w http.ResponseWriter, r *http.Request) (int, string) {
	if r.Method == http.MethodPost {
		contentType := r.Header.Get("Content-Type")
		mediaType, _, err := mime.ParseMediaType(contentType)
		if contentType == "" && r.ContentLength != 0 ||
			contentType != "" && (err != nil || mediaType != formContentType) {
			return http.StatusUnsupportedMediaType, "body must be " + formContentType
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return http.StatusRequestEntityTooLarge, "body is larger than 64 KiB"
		}
		return http.StatusBadRequest, "malformed query string or form body"
	}
	for key, values := range r.Form {
		if !utf8.ValidString(key) {
			return http.StatusBadRequest, "parameters must be UTF-8"
		}
		for _, v := range values {
			if !utf8.ValidString(v) {
				return http.StatusBadRequest, "parameters must be UTF-8"
			}
		}
	}
	return 0, ""
}

// --8<-- [start:verify]
func (a *app) validSignature(r *http.Request) (valid bool) {
	signature := r.Header.Get("X-Plivo-Signature-V3")
	nonce := r.Header.Get("X-Plivo-Signature-V3-Nonce")
	if signature == "" || nonce == "" {
		return false
	}

	// Plivo signs the URL it called: PUBLIC_URL, the path, and the query.
	uri := a.publicURL + r.URL.EscapedPath()
	if r.URL.RawQuery != "" {
		uri += "?" + r.URL.RawQuery
	}
	// For GET the SDK reads the parameters from the query in uri; for POST
	// it needs the body fields, and only those.
	method := http.MethodGet
	params := map[string]string{}
	if r.Method == http.MethodPost {
		method = http.MethodPost
		for key, values := range r.PostForm {
			params[key] = values[0]
		}
	}

	// ValidateSignatureV3 panics when it cannot parse uri; a request that
	// trips it is simply not validly signed.
	defer func() {
		if recover() != nil {
			valid = false
		}
	}()
	// Argument order: uri, nonce, method, signature, auth token, params.
	return plivo.ValidateSignatureV3(uri, nonce, method, signature, a.authToken, params)
}

// --8<-- [end:verify]

func main() {
	cfg, err := loadConfig(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "dialstatus:", err)
		os.Exit(2)
	}

	// log.Logger serialises writes, and os.Stdout is unbuffered, so each
	// dial-status line leaves the process whole and at once.
	stdout := log.New(os.Stdout, "", 0)
	server := &http.Server{
		Addr:    cfg.addr,
		Handler: newApp(cfg, stdout).routes(),
		// Time limits, so that a slow or stalled client cannot hold a
		// connection open for ever.
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}

	// On Ctrl-C or SIGTERM, let callbacks in flight finish before exiting.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdownCtx)
	}()

	fmt.Fprintf(os.Stderr, "dialstatus: listening on http://%s (answer URL %s/dialstatus/)\n", cfg.addr, cfg.publicURL)
	if err := server.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, "dialstatus:", err)
		os.Exit(1)
	}
	<-stopped
}
