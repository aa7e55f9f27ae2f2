package main

import "testing"

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"no-answer", "no-answer"},
		{"", ""},
		{"busy\r\ndial-status status=completed", "busy__dial-status_status=completed"},
		{"a\tb\x00c\x7fd", "a_b_c_d"},
		{"c1\u0085\u009fend", "c1__end"},
		{"caf\u00e9 \u2603", "caf\u00e9_\u2603"},
		// Bytes that are not UTF-8 must neither panic nor pass through raw.
		{"bad\xff\xfe", "bad\ufffd\ufffd"},
	}
	for _, tt := range tests {
		if got := sanitize(tt.in); got != tt.want {
			t.Errorf("sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
