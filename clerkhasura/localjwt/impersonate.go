package localjwt

import (
	"context"
	"sync"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
)

// impersonation is the source [Signer.Impersonate] returns.
type impersonation struct {
	s       *Signer
	sub, ns string

	mu       sync.Mutex
	tok      *clerkhasura.Token
	iat, exp int64
}

func (src *impersonation) Token(ctx context.Context) (*clerkhasura.Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	src.mu.Lock()
	defer src.mu.Unlock()
	now := src.s.st.clock.Now()
	best := now.Add(src.s.st.lifetime).Unix()
	if src.tok != nil && fresh(src.tok, src.iat, src.exp, best, now) {
		return src.tok, nil
	}
	tok, err := src.s.sign(now, src.sub, src.ns, best)
	if err != nil {
		return nil, err
	}
	src.tok, src.iat, src.exp = tok, now.Unix(), best
	return tok, nil
}
