package fakeclerk

import (
	"crypto/rand"
	"encoding/hex"
)

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// newID returns prefix followed by 27 base62 characters, the length of the
// KSUID-based identifiers Clerk uses ("sess_", "client_", "ins_").
func newID(prefix string) string {
	var raw [27]byte
	_, _ = rand.Read(raw[:]) // crypto/rand.Read never fails (Go 1.24+).
	b := make([]byte, 0, len(prefix)+len(raw))
	b = append(b, prefix...)
	for _, c := range raw {
		b = append(b, base62[int(c)%len(base62)])
	}
	return string(b)
}

// newHex returns n random bytes as lower-case hex.
func newHex(n int) string {
	raw := make([]byte, n)
	_, _ = rand.Read(raw)
	return hex.EncodeToString(raw)
}
