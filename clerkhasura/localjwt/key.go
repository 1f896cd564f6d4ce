package localjwt

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"log/slog"

	jose "github.com/go-jose/go-jose/v3"
)

// Key is an Ed25519 signing key and its key ID. Hasura v2 verifies
// Ed25519 both from a jwk_url (an OKP JWK) and as a static key, and it
// signs in tens of microseconds, against close to a millisecond for
// RS256 with a 2048-bit key.
//
// String, Format and LogValue show only the key ID, under every fmt verb;
// [Key.MarshalPEM] is the one way to the private key. A Key is
// immutable and safe for concurrent use.
type Key struct {
	priv ed25519.PrivateKey
	kid  string
	jwk  []byte // the public JWK, as the JWKS handler serves it
}

// GenerateKey makes a new random key.
func GenerateKey() (*Key, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("clerkhasura: generating an Ed25519 key: %w", err)
	}
	return newKey(priv)
}

// ParseKey reads a key from PEM: one "PRIVATE KEY" block holding an
// Ed25519 key in PKCS #8, as [Key.MarshalPEM] and
// "openssl genpkey -algorithm ed25519" write it; text around the block
// is ignored. Anything else, such as a public key, an RSA key or a
// second block, is refused with [ErrInvalidKey]; the error never quotes
// the input.
func ParseKey(pemBytes []byte) (*Key, error) {
	block, rest := pem.Decode(pemBytes)
	if block == nil {
		return nil, keyError("no PEM block")
	}
	if next, _ := pem.Decode(rest); next != nil {
		return nil, keyError("more than one PEM block")
	}
	if block.Type != "PRIVATE KEY" {
		return nil, keyError(fmt.Sprintf("a %q block, not a PKCS #8 \"PRIVATE KEY\"", block.Type))
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, keyError("not PKCS #8")
	}
	priv, ok := parsed.(ed25519.PrivateKey)
	if !ok {
		return nil, keyError(fmt.Sprintf("a %T, not an Ed25519 key", parsed))
	}
	return newKey(priv)
}

func keyError(reason string) error {
	return fmt.Errorf("%w: %s", ErrInvalidKey, reason)
}

func newKey(priv ed25519.PrivateKey) (*Key, error) {
	pub := jose.JSONWebKey{Key: priv.Public(), Algorithm: string(jose.EdDSA), Use: "sig"}
	sum, err := pub.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, keyError(err.Error())
	}
	pub.KeyID = base64.RawURLEncoding.EncodeToString(sum)
	jwk, err := pub.MarshalJSON()
	if err != nil {
		return nil, keyError(err.Error())
	}
	return &Key{priv: priv, kid: pub.KeyID, jwk: jwk}, nil
}

// KeyID is the key's kid: its RFC 7638 JWK thumbprint (SHA-256,
// base64url), so the same key has the same kid on every replica.
func (k *Key) KeyID() string { return k.kid }

// MarshalPEM returns the private key as a PKCS #8 "PRIVATE KEY" PEM
// block, which [ParseKey] reads. It is the secret: store it as one.
func (k *Key) MarshalPEM() []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k.priv)
	if err != nil {
		// Only a key type x509 does not know fails, and k holds Ed25519.
		panic("clerkhasura: marshalling an Ed25519 key: " + err.Error())
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// PublicPEM returns the public key as a "PUBLIC KEY" PEM block: the key
// of a static HASURA_GRAPHQL_JWT_SECRET, {"type":"Ed25519","key":…}.
func (k *Key) PublicPEM() []byte {
	der, err := x509.MarshalPKIXPublicKey(k.priv.Public())
	if err != nil {
		panic("clerkhasura: marshalling an Ed25519 public key: " + err.Error())
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// String names the key by its kid and nothing else. Its receiver, like
// Format's and LogValue's, is a value, so that a dereferenced Key is
// redacted too.
func (k Key) String() string { return "localjwt.Key{kid: " + k.kid + ", private: [redacted]}" }

// Format implements [fmt.Formatter]: every verb prints [Key.String].
func (k Key) Format(f fmt.State, verb rune) { formatString(f, verb, k.String()) }

// LogValue implements [slog.LogValuer]: a logged key shows its kid.
func (k Key) LogValue() slog.Value { return slog.GroupValue(slog.String("kid", k.kid)) }

// formatString writes s for any verb, quoted for %q: the Format of a type
// whose fields hold a secret, since fmt's own printing reaches unexported
// fields.
func formatString(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", s)
		return
	}
	fmt.Fprint(f, s)
}
