package clerkhasura

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSubscriptionStaleToken(t *testing.T) {
	now := time.Now()
	lead := 10 * time.Second
	plenty := &Token{Value: "t", Expiry: now.Add(45 * time.Second)}
	nearExpiry := &Token{Value: "t", Expiry: now.Add(5 * time.Second)}
	lost := &CloseError{Code: 1006, Reason: "EOF"}
	tests := []struct {
		name string
		tok  *Token
		err  error
		want bool
	}{
		{"restart (1012), plenty of life", plenty, &CloseError{Code: 1012}, false},
		{"lost connection, plenty of life", plenty, lost, false},
		{"normal close, plenty of life", plenty, &CloseError{Code: 1000}, false},
		{"a subscription's 4400, plenty of life", plenty, &CloseError{Code: 4400}, false},
		{"forbidden (4403)", plenty, &CloseError{Code: 4403}, true},
		{"unauthorized (4401)", plenty, &CloseError{Code: 4401}, true},
		{"lost near expiry: Hasura's expiry drop", nearExpiry, lost, true},
		{"restart near expiry", nearExpiry, &CloseError{Code: 1012}, true},
		{"expired", &Token{Value: "t", Expiry: now.Add(-time.Second)}, lost, true},
		{"no expiry known", &Token{Value: "t"}, lost, false},
		{"not a close", plenty, errors.New("write failed"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := &wsConn{tok: tt.tok, lead: lead, err: tt.err}
			assert.Equal(t, tt.want, staleToken(old, now))
		})
	}
}
