package localjwt_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
)

func TestKeyRoundTrip(t *testing.T) {
	k := mustKey(t)
	again, err := localjwt.ParseKey(k.MarshalPEM())
	require.NoError(t, err)
	assert.Equal(t, k.KeyID(), again.KeyID())
	assert.Equal(t, k.MarshalPEM(), again.MarshalPEM())

	block, _ := pem.Decode(k.PublicPEM())
	require.NotNil(t, block)
	assert.Equal(t, "PUBLIC KEY", block.Type)
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	require.NoError(t, err)
	assert.IsType(t, ed25519.PublicKey{}, pub)

	other := mustKey(t)
	assert.NotEqual(t, k.KeyID(), other.KeyID())
}

// TestKeyIDIsRFC7638Thumbprint checks the kid against RFC 8037's example
// key (appendix A.1) and its thumbprint (appendix A.3).
func TestKeyIDIsRFC7638Thumbprint(t *testing.T) {
	seed, err := base64.RawURLEncoding.DecodeString("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A")
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(ed25519.NewKeyFromSeed(seed))
	require.NoError(t, err)
	k, err := localjwt.ParseKey(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	require.NoError(t, err)
	assert.Equal(t, "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", k.KeyID())
}

func TestParseKeyRefuses(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 1024) //nolint:gosec // only its type matters
	require.NoError(t, err)
	rsaDER, err := x509.MarshalPKCS8PrivateKey(rsaKey)
	require.NoError(t, err)
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ecDER, err := x509.MarshalPKCS8PrivateKey(ecKey)
	require.NoError(t, err)
	k := mustKey(t)
	block := func(typ string, der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}) }
	privBlock, _ := pem.Decode(k.MarshalPEM())

	for _, tt := range []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "no PEM block"},
		{"not PEM", []byte("hello"), "no PEM block"},
		{"public key", k.PublicPEM(), `a "PUBLIC KEY" block`},
		{"RSA", block("PRIVATE KEY", rsaDER), "*rsa.PrivateKey, not an Ed25519 key"},
		{"EC", block("PRIVATE KEY", ecDER), "*ecdsa.PrivateKey, not an Ed25519 key"},
		{"PKCS #1 label", block("RSA PRIVATE KEY", privBlock.Bytes), `a "RSA PRIVATE KEY" block`},
		{"garbled DER", block("PRIVATE KEY", privBlock.Bytes[:10]), "not PKCS #8"},
		{"two blocks", append(k.MarshalPEM(), k.PublicPEM()...), "more than one PEM block"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := localjwt.ParseKey(tt.in)
			require.ErrorIs(t, err, localjwt.ErrInvalidKey)
			assert.Nil(t, got)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "clerkhasura: "), err.Error())
			assert.NotContains(t, err.Error(), "MC4CAQ", "the error quotes the key")
		})
	}
}

// secretForms are the ways k's private key could leak into text.
func secretForms(t *testing.T, k *localjwt.Key) []string {
	t.Helper()
	block, _ := pem.Decode(k.MarshalPEM())
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	require.NoError(t, err)
	priv := parsed.(ed25519.PrivateKey)
	seed := priv.Seed()
	forms := []string{
		"PRIVATE KEY",
		string(bytes.TrimSpace(bytes.SplitN(k.MarshalPEM(), []byte("\n"), 3)[1])),
		hex.EncodeToString(seed), hex.EncodeToString(seed)[:16],
		base64.StdEncoding.EncodeToString(seed)[:16], base64.RawURLEncoding.EncodeToString(seed)[:16],
		fmt.Sprint([]byte(seed[:8]))[1:20], fmt.Sprintf("%#v", []byte(seed[:4]))[7:],
	}
	return forms
}

func TestKeyRedacted(t *testing.T) {
	k := mustKey(t)
	clock := newClock(epoch)
	signer := newSigner(t, clock, localjwt.Options{Keys: []localjwt.ScheduledKey{{Key: k, SignFrom: epoch.Add(-time.Hour)}}})
	sk := localjwt.ScheduledKey{Key: k, SignFrom: epoch}
	opts := localjwt.Options{Issuer: testIssuer, Keys: []localjwt.ScheduledKey{sk}}
	values := map[string]any{"*Key": k, "Key": *k, "ScheduledKey": sk, "*ScheduledKey": &sk, "Options": opts, "*Options": &opts, "*Signer": signer, "Signer": *signer}
	forms := secretForms(t, k)
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %[1]v"} {
			out := fmt.Sprintf(verb, v)
			for _, f := range forms {
				assert.NotContains(t, out, f, "%s under %s", name, verb)
			}
		}
	}
	assert.Equal(t, "localjwt.Key{kid: "+k.KeyID()+", private: [redacted]}", fmt.Sprint(k))

	var logged bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logged, nil))
	logger.Info("key", "key", k, "value", *k, "scheduled", sk, "options", opts, "signer", signer)
	for _, f := range forms {
		assert.NotContains(t, logged.String(), f)
	}
	assert.Contains(t, logged.String(), `"key":{"kid":"`+k.KeyID()+`"}`)
}

func TestKeyErrorsAreTyped(t *testing.T) {
	_, err := localjwt.ParseKey([]byte("x"))
	assert.True(t, errors.Is(err, localjwt.ErrInvalidKey))
	assert.False(t, errors.Is(err, localjwt.ErrInvalidOptions))
}
