package clerkhasura

import (
	"context"
	"errors"
	"net/http"

	"github.com/Khan/genqlient/graphql"

	"github.com/clerkhasura/clerkhasura-go/internal/errwrap"
)

// ErrNotFound means the row does not exist or the caller's role may not
// see it; Hasura answers both the same way, so they cannot be told apart.
var ErrNotFound = errors.New("clerkhasura: not found")

// ClientOptions configures [NewClient]. A nil *ClientOptions means the
// defaults.
type ClientOptions struct {
	// HTTPClient sends the requests. Its Transport becomes the Base of the
	// [Transport] that adds the token; its Timeout, Jar and CheckRedirect
	// are kept. The client itself is not modified. When its Transport is
	// itself a [*Transport], that one's Base is used instead, so that a
	// request carries one token and is retried at most once. Optional: nil
	// means an http.Client without timeout over [http.DefaultTransport], so
	// bound calls with their context.
	HTTPClient *http.Client
	// Role is sent as x-hasura-role, to run operations as a role other
	// than the token's default role. It must be among the token's allowed
	// roles, or Hasura answers "access-denied" ([ErrAuth]). Optional.
	Role string
	// ClaimsNamespace is the claim holding Hasura's session variables, as
	// claims_namespace in HASURA_GRAPHQL_JWT_SECRET. Optional. Default
	// [DefaultClaimsNamespace].
	ClaimsNamespace string
	// UserIDClaim is the session variable holding the caller's user ID
	// within ClaimsNamespace; it is matched without regard to case, as
	// Hasura does. Optional. Default [DefaultUserIDClaim].
	UserIDClaim string
}

func (o *ClientOptions) httpClient() *http.Client {
	if o == nil || o.HTTPClient == nil {
		return &http.Client{}
	}
	c := *o.HTTPClient
	return &c
}

func (o *ClientOptions) role() string {
	if o == nil {
		return ""
	}
	return o.Role
}

func (o *ClientOptions) claimsNamespace() string {
	if o == nil || o.ClaimsNamespace == "" {
		return DefaultClaimsNamespace
	}
	return o.ClaimsNamespace
}

func (o *ClientOptions) userIDClaim() string {
	if o == nil || o.UserIDClaim == "" {
		return DefaultUserIDClaim
	}
	return o.UserIDClaim
}

// Client runs typed operations on Hasura's users table as the Clerk user
// whose tokens its [TokenSource] supplies. Every request carries a token
// through a [Transport], which also replaces a token Hasura rejects and
// retries once.
//
// Methods acting on the caller's own row ([Client.Me],
// [Client.TouchLastSeen], [Client.UpsertMe]) learn the caller's user ID
// from the token's Hasura claims. Errors from Hasura are [*HasuraError]
// values, which match [ErrAuth], [ErrValidation], [ErrPermission] or
// [ErrConstraint] with [errors.Is]; a missing row is [ErrNotFound].
//
// A Client is safe for concurrent use.
type Client struct {
	gql graphql.Client
	// src is the source given to NewClient, for websocket connections;
	// tokens is the one requests use, src or a cache around it.
	src         TokenSource
	tokens      TokenSource
	endpoint    string
	role        string
	namespace   string
	userIDClaim string
	// base is the caller's ClientOptions.HTTPClient, nil for the default;
	// it makes the websocket handshakes of [Client.NewSubscriptionClient].
	base *http.Client
}

// NewClient returns a [Client] for the Hasura GraphQL endpoint, such as
// "https://my-project.hasura.app/v1/graphql", authenticated with tokens
// from src. A nil opts means the defaults.
//
// Give it a caching source: a [*CachedTokenSource], or a source from
// [SessionTokens.Source]. For its requests, the Client wraps a source
// made by [NewSessionTokenSource], which mints on every call, in a cache
// of its own (as [NewCachedTokenSource] with default options), so that
// [Client.Me] and the other methods that read the caller's user ID mint
// one token rather than two. That cache runs a goroutine only while it
// fetches a token, so a Client needs no Close. [Client.NewSubscriptionClient] and
// [Client.WatchMe] use src as given, so that each websocket connection
// asks it for a token. Wrap other sources that mint on every call in
// [NewCachedTokenSource] yourself.
//
// An endpoint that is not an absolute http or https URL, or a nil src,
// gives an [*InputError]. NewClient makes no request.
func NewClient(endpoint string, src TokenSource, opts *ClientOptions) (*Client, error) {
	tokens := src
	if _, mints := src.(*sessionSource); mints {
		// A session source is never nil, so this cannot fail.
		tokens, _ = NewCachedTokenSource(src, nil)
	}
	hc := opts.httpClient()
	tr, err := NewTransport(endpoint, tokens, &TransportOptions{Base: hc.Transport, Role: opts.role()})
	if err != nil {
		return nil, err
	}
	hc.Transport = tr
	c := &Client{
		gql:         hasuraClient{graphql.NewClient(endpoint, hc)},
		src:         src,
		tokens:      tokens,
		endpoint:    endpoint,
		role:        opts.role(),
		namespace:   opts.claimsNamespace(),
		userIDClaim: opts.userIDClaim(),
	}
	if opts != nil {
		c.base = opts.HTTPClient
	}
	return c, nil
}

// GraphQL returns the genqlient client the Client uses, with the same
// authentication, for running the functions generated in package graphql
// of this module, or the caller's own genqlient operations. Errors Hasura
// reports come back as a [*HasuraError], which still wraps genqlient's
// own error (gqlerror.List, *graphql.HTTPError) for [errors.As].
//
// Give a request of your own an operation name (graphql.Request.OpName),
// as the generated functions do: Hasura refuses the empty operationName
// that genqlient sends without one.
func (c *Client) GraphQL() graphql.Client { return c.gql }

// hasuraClient is a genqlient client whose errors from Hasura are
// [*HasuraError] values.
type hasuraClient struct{ c graphql.Client }

// MakeRequest implements graphql.Client.
func (h hasuraClient) MakeRequest(ctx context.Context, req *graphql.Request, resp *graphql.Response) error {
	return wrapGraphQLError(h.c.MakeRequest(ctx, req, resp))
}

// UserID returns the caller's Hasura user ID: the UserIDClaim within the
// ClaimsNamespace of a token from the Client's source. A token without it
// gives a [*ClaimError], which matches [ErrNoUserID].
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
	return userIDFromToken(tok.Value, c.namespace, c.userIDClaim)
}

// opError adds the operation's name to an error that did not come from
// Hasura, such as a transport or decoding error; a [*HasuraError] already
// says what it is.
func opError(op string, err error) error {
	if _, ok := errors.AsType[*HasuraError](err); ok {
		return err
	}
	return errwrap.Wrap(op, err)
}
