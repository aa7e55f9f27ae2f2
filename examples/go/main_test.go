package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestLogSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"no-answer", "no-answer"},
		{"", ""},
		{"busy\r\ndial-status status=completed", "busy__dial-status_status=completed"},
		{"a\tb\x00c\x7fd", "a_b_c_d"},
		{"c1\u0085\u009fend", "c1__end"},
		{"line\u2028para\u2029end", "line_para_end"},
		{"caf\u00e9 \u2603", "caf\u00e9_\u2603"},
		// Bytes that are not UTF-8 must neither panic nor pass through raw.
		{"bad\xff\xfe", "bad\ufffd\ufffd"},
	}
	for _, tt := range tests {
		if got := logSafe(tt.in); got != tt.want {
			t.Errorf("logSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestRepeatedKeysAreSigned signs by hand, as Plivo does, requests whose
// query and body repeat a key: plivo-go alone would sign only the first value.
func TestRepeatedKeysAreSigned(t *testing.T) {
	a := &app{authToken: "token", publicURL: "https://example.com:8443/hooks"}
	tests := []struct{ method, query, body, signed string }{
		{"GET", "b=2&a=x%26y&b=1", "", "https://example.com:8443/hooks/dialstatus/?a=x&y&b=1&b=2"},
		{"POST", "b=2&b=1", "k=2&k=1&j=0", "https://example.com:8443/hooks/dialstatus/?b=1&b=2.j0k1k2"},
	}
	for _, tt := range tests {
		mac := hmac.New(sha256.New, []byte("token"))
		mac.Write([]byte(tt.signed + ".nonce"))
		r := httptest.NewRequest(tt.method, "/dialstatus/?"+tt.query, strings.NewReader(tt.body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("X-Plivo-Signature-V3", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
		r.Header.Set("X-Plivo-Signature-V3-Nonce", "nonce")
		called := false
		a.plivoSigned(func(http.ResponseWriter, *http.Request, url.Values) { called = true }).
			ServeHTTP(httptest.NewRecorder(), r)
		if !called {
			t.Errorf("%s ?%s %s: a request signed as Plivo signs it was refused", tt.method, tt.query, tt.body)
		}
	}
}
