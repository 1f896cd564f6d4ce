package hasura

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/Khan/genqlient/graphql"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/errwrap"
)

// ErrNotFound means the row does not exist or the caller's role may not
// see it; Hasura answers both the same way, so they cannot be told apart.
var ErrNotFound = errors.New("clerkhasura: not found")

// ClientOptions configures [NewClient]. A nil *ClientOptions, and every
// zero field, means the default.
type ClientOptions struct {
	// Base sends the requests, under the [clerkhasura.Transport] that adds
	// the token. A Base that is itself a *clerkhasura.Transport is
	// replaced by its own base, so that a request carries one token and is
	// resent at most once. Optional: [http.DefaultTransport].
	Base http.RoundTripper
	// Role is sent as x-hasura-role, to run operations as a role other
	// than the token's default role. It must be among the token's allowed
	// roles, or Hasura answers "access-denied" ([ErrAuth]). Optional.
	Role string
	// MaxBodyBytes bounds what the Transport buffers of a request to
	// resend it and reads of an answer that is not the data asked for, as
	// [clerkhasura.TransportOptions.MaxBodyBytes] says. Optional:
	// [clerkhasura.DefaultMaxBodyBytes].
	MaxBodyBytes int64
	// Timeout bounds each request, its answer's body included, as
	// [http.Client.Timeout] does. Optional: none, so bound calls with
	// their context.
	Timeout time.Duration
	// ClaimsNamespace is the claim holding Hasura's session variables, as
	// claims_namespace in HASURA_GRAPHQL_JWT_SECRET. Optional:
	// [DefaultClaimsNamespace].
	ClaimsNamespace string
	// UserIDClaim is the session variable holding the caller's user ID
	// within ClaimsNamespace; it is matched without regard to case, as
	// Hasura does. Optional: [DefaultUserIDClaim].
	UserIDClaim string
}

// resolved returns a copy of o with every default filled in.
func (o *ClientOptions) resolved() ClientOptions {
	var r ClientOptions
	if o != nil {
		r = *o
	}
	if r.ClaimsNamespace == "" {
		r.ClaimsNamespace = DefaultClaimsNamespace
	}
	if r.UserIDClaim == "" {
		r.UserIDClaim = DefaultUserIDClaim
	}
	return r
}

// Client runs typed operations on Hasura's users table as the Clerk user
// whose tokens its [clerkhasura.TokenSource] supplies. Every request
// carries a token through a [clerkhasura.Transport], which also replaces
// a token Hasura rejects and sends the request once more.
//
// Methods acting on the caller's own row ([Client.Me],
// [Client.TouchLastSeen], [Client.UpsertMe]) learn the caller's user ID
// from the token's Hasura claims. Errors from Hasura are [*Error] values,
// which match [ErrAuth], [ErrValidation], [ErrPermission] or
// [ErrConstraint] with [errors.Is]; a missing row is [ErrNotFound].
//
// A Client is safe for concurrent use.
type Client struct {
	gql         graphql.Client
	tokens      clerkhasura.TokenSource
	namespace   string
	userIDClaim string
}

// NewClient returns a [Client] for the Hasura GraphQL endpoint, such as
// "https://my-project.hasura.app/v1/graphql", authenticated with tokens
// from src. A nil opts means the defaults.
//
// Give it a caching source: a [*clerkhasura.CachedTokenSource], or a
// source from [clerkhasura.SessionTokens.Source]. The Client asks src for
// a token on every request, and [Client.Me] and the other methods that
// read the caller's user ID ask once more, so a source that mints on
// every call, such as the one [clerkhasura.NewSessionTokenSource]
// returns, mints a token for each of those.
//
// An endpoint that is not an absolute http or https URL, or a nil src,
// gives a [*clerkhasura.InputError]. NewClient makes no request.
func NewClient(endpoint string, src clerkhasura.TokenSource, opts *ClientOptions) (*Client, error) {
	o := opts.resolved()
	tr, err := clerkhasura.NewTransport(endpoint, src, &clerkhasura.TransportOptions{
		Base:         o.Base,
		Role:         o.Role,
		MaxBodyBytes: o.MaxBodyBytes,
	})
	if err != nil {
		return nil, err
	}
	return &Client{
		gql:         hasuraClient{graphql.NewClient(endpoint, &http.Client{Transport: tr, Timeout: o.Timeout})},
		tokens:      src,
		namespace:   o.ClaimsNamespace,
		userIDClaim: o.UserIDClaim,
	}, nil
}

// GraphQL returns the genqlient client the Client uses, with the same
// authentication, for running the functions generated in package graphql
// of this module, or the caller's own genqlient operations. Errors Hasura
// reports come back as an [*Error], which still wraps genqlient's
// own error (gqlerror.List, *graphql.HTTPError) for [errors.As].
//
// Give a request of your own an operation name (graphql.Request.OpName),
// as the generated functions do: Hasura refuses the empty operationName
// that genqlient sends without one.
func (c *Client) GraphQL() graphql.Client { return c.gql }

// hasuraClient is a genqlient client whose errors from Hasura are
// [*Error] values.
type hasuraClient struct{ c graphql.Client }

// MakeRequest implements graphql.Client.
func (h hasuraClient) MakeRequest(ctx context.Context, req *graphql.Request, resp *graphql.Response) error {
	return wrapError(h.c.MakeRequest(ctx, req, resp))
}

// UserID returns the caller's Hasura user ID: the UserIDClaim within the
// ClaimsNamespace of a token from the Client's source, read as Hasura reads
// its session variables (the namespace holds a JSON object, or that object
// as a string, and claim names are compared without regard to case). A
// token without it gives a [*ClaimError], which matches [ErrNoUserID] and
// never holds the token.
//
// The claim is read without checking the token's signature, which is
// Hasura's task; it only tells the Client which row is the caller's.
func (c *Client) UserID(ctx context.Context) (string, error) {
	tok, err := c.tokens.Token(ctx)
	if err != nil {
		return "", errwrap.Wrap("getting a token to read the user ID", err)
	}
	if tok == nil {
		return "", errors.New("clerkhasura: TokenSource returned a nil token")
	}
	return userIDFromJWT(tok.Value, c.namespace, c.userIDClaim)
}

// opError adds the operation's name to an error that did not come from
// Hasura, such as a transport or decoding error; an [*Error] already says
// what it is.
func opError(op string, err error) error {
	if _, ok := errors.AsType[*Error](err); ok {
		return err
	}
	return errwrap.Wrap(op, err)
}
