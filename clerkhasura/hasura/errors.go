package hasura

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/Khan/genqlient/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/gqlerrs"
	"github.com/clerkhasura/clerkhasura-go/internal/hasuraerr"
)

// Sentinel errors for the classes of errors Hasura returns. An [*Error]
// matches one with [errors.Is] when one of its errors has a code of the
// class; codes of no class (such as "data-exception", "constraint-error",
// "postgres-error" or "unexpected") match none, and are read with
// [Error.Code] or [Error.Has].
var (
	// ErrAuth means Hasura did not accept the request's credentials, codes:
	// "invalid-jwt" (expired, badly signed or malformed token),
	// "invalid-headers" (missing or malformed Authorization header),
	// "jwt-invalid-claims" and "jwt-missing-role-claims" (the JWT template
	// lacks Hasura's claims), and "access-denied" (the requested role is not
	// among the token's allowed roles). An HTTP 401 matches too.
	ErrAuth = errors.New("clerkhasura: Hasura did not accept the credentials")

	// ErrValidation means the operation does not fit the schema that the
	// role sees, codes "validation-failed" and "parse-failed". Hasura hides
	// what a role may not select, so a field missing for lack of permission
	// is a validation error too.
	ErrValidation = errors.New("clerkhasura: Hasura rejected the operation as invalid")

	// ErrPermission means a permission check failed while the operation ran,
	// codes "permission-error" (such as a failed insert or update check)
	// and "permission-denied".
	ErrPermission = errors.New("clerkhasura: Hasura permission check failed")

	// ErrConstraint means the database refused the change, code
	// "constraint-violation", such as a uniqueness or foreign-key violation.
	ErrConstraint = errors.New("clerkhasura: database constraint violated")
)

// codeClass maps each Hasura error code that has a class to its sentinel.
var codeClass = map[string]error{
	"invalid-jwt":             ErrAuth,
	"invalid-headers":         ErrAuth,
	"jwt-invalid-claims":      ErrAuth,
	"jwt-missing-role-claims": ErrAuth,
	"access-denied":           ErrAuth,
	"validation-failed":       ErrValidation,
	"parse-failed":            ErrValidation,
	"permission-error":        ErrPermission,
	"permission-denied":       ErrPermission,
	"constraint-violation":    ErrConstraint,
}

// GraphQLError is one error Hasura returned.
type GraphQLError struct {
	// Message is Hasura's message, such as "Could not verify JWT: JWTExpired".
	Message string
	// Code is extensions.code, such as "invalid-jwt"; empty when Hasura sent
	// none.
	Code string
	// Path locates the error in the request: Hasura's extensions.path, such
	// as "$.selectionSet.users", or else the GraphQL response path.
	Path string
	// Extensions is the whole extensions object as Hasura sent it.
	Extensions map[string]any
}

// Error formats e as its message followed by its code and path.
func (e *GraphQLError) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	switch {
	case e.Code != "" && e.Path != "":
		fmt.Fprintf(&b, " (%s at %s)", e.Code, e.Path)
	case e.Code != "":
		fmt.Fprintf(&b, " (%s)", e.Code)
	case e.Path != "":
		fmt.Fprintf(&b, " (at %s)", e.Path)
	}
	return b.String()
}

// Is reports whether e's code is of the class of target, one of [ErrAuth],
// [ErrValidation], [ErrPermission] and [ErrConstraint].
func (e *GraphQLError) Is(target error) bool {
	class, ok := codeClass[e.Code]
	return ok && class == target
}

// Error is the non-empty list of errors Hasura returned for one
// operation. Match its class with [errors.Is] and the sentinels [ErrAuth],
// [ErrValidation], [ErrPermission] and [ErrConstraint]; read it with
// [errors.As]:
//
//	var herr *hasura.Error
//	if errors.As(err, &herr) && herr.Has("constraint-violation") { … }
//
// It wraps the error it was made from, such as genqlient's [gqlerror.List]
// or [*graphql.HTTPError], which [errors.As] also finds. A reply that is
// not JSON, such as a proxy's HTML error page, is never quoted, since it
// may echo the request and its token: its one error, and the
// *graphql.HTTPError wrapped, say "HTTP 502 Bad Gateway (non-JSON body,
// 1234 bytes)". A reply longer than [ClientOptions.MaxBodyBytes] says
// "HTTP 502 Bad Gateway (body larger than the limit, not read)" and
// matches [clerkhasura.ErrResponseTooLarge] too.
type Error struct {
	// StatusCode is the HTTP status of Hasura's answer. It is 200 for every
	// error /v1/graphql reports, an invalid token included.
	StatusCode int
	// Errors holds the errors in the order Hasura sent them; never empty.
	Errors []GraphQLError

	err error
}

// Error joins the messages of e's errors.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("clerkhasura: Hasura")
	if e.StatusCode != http.StatusOK && e.StatusCode != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
	}
	b.WriteString(": ")
	for i := range e.Errors {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.Errors[i].Error())
	}
	return b.String()
}

// Code returns the code of the first error, or "" when it has none.
func (e *Error) Code() string {
	if len(e.Errors) == 0 {
		return ""
	}
	return e.Errors[0].Code
}

// Has reports whether one of e's errors has the given code. An empty code
// matches nothing.
func (e *Error) Has(code string) bool {
	if code == "" {
		return false
	}
	for i := range e.Errors {
		if e.Errors[i].Code == code {
			return true
		}
	}
	return false
}

// Is reports whether one of e's errors is of the class of target (see
// [GraphQLError.Is]); an HTTP 401 is of the class [ErrAuth].
func (e *Error) Is(target error) bool {
	if target == ErrAuth && e.StatusCode == http.StatusUnauthorized {
		return true
	}
	for i := range e.Errors {
		if e.Errors[i].Is(target) {
			return true
		}
	}
	return false
}

// Unwrap returns the error e was made from, or nil.
func (e *Error) Unwrap() error { return e.err }

// wrapError turns the GraphQL errors in err, as genqlient returns them
// ([gqlerror.List] for an answer with HTTP 200, [*graphql.HTTPError] for
// any other status), into an [*Error] that wraps err. It returns nil for
// nil, and any other error, an [*Error] included, unchanged.
func wrapError(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := errors.AsType[*Error](err); ok {
		return err
	}
	if he, ok := errors.AsType[*graphql.HTTPError](err); ok {
		if n, raw := rawBody(he); raw {
			// The body may be a proxy's page echoing the request, token
			// included: keep its status and size only, in the error
			// wrapped too.
			msg := fmt.Sprintf("%s (non-JSON body, %d bytes)", httpStatus(he.StatusCode), n)
			notRead, tooLarge := bodyNotRead(he.Response.Errors[0].Message)
			switch {
			case tooLarge:
				msg = httpStatus(he.StatusCode) + " (body larger than the limit, not read)"
			case notRead:
				msg = httpStatus(he.StatusCode) + " (body unreadable)"
			}
			clean := &graphql.HTTPError{StatusCode: he.StatusCode, Response: graphql.Response{
				Errors: gqlerror.List{{Message: msg}},
			}}
			herr := &Error{StatusCode: he.StatusCode, Errors: []GraphQLError{{Message: msg}}, err: clean}
			if tooLarge {
				herr.err = tooLargeError{clean}
			}
			return herr
		}
		errs := fromGQLErrors(he.Response.Errors)
		if len(errs) == 0 {
			errs = []GraphQLError{{Message: httpStatus(he.StatusCode)}}
		}
		return &Error{StatusCode: he.StatusCode, Errors: errs, err: err}
	}
	if list, ok := errors.AsType[gqlerror.List](err); ok {
		if errs := fromGQLErrors(list); len(errs) > 0 {
			return &Error{StatusCode: http.StatusOK, Errors: errs, err: err}
		}
	}
	return err
}

func httpStatus(code int) string {
	return fmt.Sprintf("HTTP %d %s", code, http.StatusText(code))
}

// rawBody reports whether genqlient put the body of a reply it could not
// read as JSON in he, as the message of its only error, and if so the
// body's length. A JSON reply whose one error has nothing but a message
// that is not itself a JSON document looks the same, and is treated the
// same.
func rawBody(he *graphql.HTTPError) (n int, raw bool) {
	errs := he.Response.Errors
	if len(errs) != 1 || errs[0] == nil || he.Response.Data != nil || he.Response.Extensions != nil {
		return 0, false
	}
	e := errs[0]
	if e.Extensions != nil || e.Path != nil || e.Locations != nil || e.Rule != "" {
		return 0, false
	}
	var probe graphql.Response
	if json.Unmarshal([]byte(e.Message), &probe) == nil {
		return 0, false
	}
	return len(e.Message), true
}

// unreadablePrefix and unreadableSuffix surround the read error that
// genqlient puts where the body of an answer other than HTTP 200 would be,
// when it could not read that body (MakeRequest in genqlient's
// graphql/client.go).
const (
	unreadablePrefix = "<unreadable: "
	unreadableSuffix = ">"
)

// bodyNotRead reports whether msg is the note genqlient makes in place of
// a body it could not read, and whether the Transport's limit stopped the
// reading. The note's read error is never shown: it is not Hasura's.
func bodyNotRead(msg string) (notRead, tooLarge bool) {
	inner, ok := strings.CutPrefix(msg, unreadablePrefix)
	if !ok || !strings.HasSuffix(inner, unreadableSuffix) {
		return false, false
	}
	return true, strings.HasPrefix(inner, clerkhasura.ErrResponseTooLarge.Error())
}

// tooLargeError is what an [Error] for a body longer than the
// Transport's limit wraps: genqlient's error, with a note in the body's
// place, and [clerkhasura.ErrResponseTooLarge].
type tooLargeError struct{ *graphql.HTTPError }

func (e tooLargeError) Is(target error) bool { return target == clerkhasura.ErrResponseTooLarge }

func (e tooLargeError) Unwrap() error { return e.HTTPError }

func fromGQLErrors(list gqlerror.List) []GraphQLError {
	return fromHasuraErrors(gqlerrs.Read(list))
}

// fromHasuraErrors converts the errors read from a body, or from
// genqlient's errors, into GraphQLErrors; both have the same fields.
func fromHasuraErrors(errs []hasuraerr.Error) []GraphQLError {
	out := make([]GraphQLError, len(errs))
	for i, e := range errs {
		out[i] = GraphQLError(e)
	}
	return out
}
