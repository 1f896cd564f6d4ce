package fakeclerk

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/go-jose/go-jose/v3"
)

// KeyBits is the size of the RSA keys the fake signs with, as Clerk's.
const KeyBits = 2048

// ErrUnknownKey is returned by DropKey for a kid the fake does not serve.
var ErrUnknownKey = errors.New("fakeclerk: unknown key")

// ErrActiveKey is returned by DropKey for the key that signs new tokens.
var ErrActiveKey = errors.New("fakeclerk: cannot drop the active signing key")

// keyPoolSize bounds the process-wide key pool.
const keyPoolSize = 8

// keyPool holds RSA keys generated once per process. A 2048-bit key takes
// tens to hundreds of milliseconds to generate; sharing them keeps suites
// that start many fakes fast. Keys are handed out in turn, so fakes started
// one after another, and a key and its rotation, never share key material;
// only with more than keyPoolSize keys in use at once can two fakes hold the
// same key, under different kids.
var keyPool struct {
	mu   sync.Mutex
	next int
	keys []*rsa.PrivateKey
}

// pooledKey returns the pool's next key, generating it on first use.
func pooledKey() (*rsa.PrivateKey, error) {
	keyPool.mu.Lock()
	defer keyPool.mu.Unlock()
	i := keyPool.next % keyPoolSize
	if i == len(keyPool.keys) {
		k, err := rsa.GenerateKey(rand.Reader, KeyBits)
		if err != nil {
			return nil, fmt.Errorf("fakeclerk: generating an RSA key: %w", err)
		}
		keyPool.keys = append(keyPool.keys, k)
	}
	keyPool.next++
	return keyPool.keys[i], nil
}

// signingKey is one key of a fake's key ring.
type signingKey struct {
	kid    string
	priv   *rsa.PrivateKey
	signer jose.Signer
}

func newSigningKey(priv *rsa.PrivateKey) (*signingKey, error) {
	kid := newID("ins_")
	opts := (&jose.SignerOptions{}).WithType("JWT")
	signer, err := jose.NewSigner(jose.SigningKey{
		Algorithm: jose.RS256,
		Key:       jose.JSONWebKey{Key: priv, KeyID: kid, Algorithm: string(jose.RS256)},
	}, opts)
	if err != nil {
		return nil, fmt.Errorf("fakeclerk: creating a signer: %w", err)
	}
	return &signingKey{kid: kid, priv: priv, signer: signer}, nil
}

// keyRing is the fake's set of keys: the newest signs, all are published.
// Callers hold the server's mutex.
type keyRing struct {
	keys []*signingKey // oldest first; the last one is active
	jwks []byte        // the published JWKS document
}

func (r *keyRing) active() *signingKey { return r.keys[len(r.keys)-1] }

// rotate makes a new key active and keeps publishing the old ones.
func (r *keyRing) rotate() (string, error) {
	priv, err := pooledKey()
	if err != nil {
		return "", err
	}
	k, err := newSigningKey(priv)
	if err != nil {
		return "", err
	}
	r.keys = append(r.keys, k)
	return k.kid, r.publish()
}

// drop stops publishing the key kid.
func (r *keyRing) drop(kid string) error {
	for i, k := range r.keys {
		if k.kid != kid {
			continue
		}
		if i == len(r.keys)-1 {
			return fmt.Errorf("%w %q", ErrActiveKey, kid)
		}
		r.keys = append(r.keys[:i:i], r.keys[i+1:]...)
		return r.publish()
	}
	return fmt.Errorf("%w %q", ErrUnknownKey, kid)
}

// kids lists the published key IDs, the active one first.
func (r *keyRing) kids() []string {
	out := make([]string, 0, len(r.keys))
	for i := len(r.keys) - 1; i >= 0; i-- {
		out = append(out, r.keys[i].kid)
	}
	return out
}

// publish renders the JWKS in Clerk's field order
// ({"use","kty","kid","alg","n","e"}), active key first.
func (r *keyRing) publish() error {
	set := jose.JSONWebKeySet{Keys: make([]jose.JSONWebKey, 0, len(r.keys))}
	for i := len(r.keys) - 1; i >= 0; i-- {
		k := r.keys[i]
		set.Keys = append(set.Keys, jose.JSONWebKey{
			Key:       &k.priv.PublicKey,
			KeyID:     k.kid,
			Algorithm: string(jose.RS256),
			Use:       "sig",
		})
	}
	b, err := json.Marshal(set)
	if err != nil {
		return fmt.Errorf("fakeclerk: encoding the JWKS: %w", err)
	}
	r.jwks = b
	return nil
}
