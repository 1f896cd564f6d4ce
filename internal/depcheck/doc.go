// Package depcheck holds the test that keeps the module's dependencies at
// or above the releases it was last moved to, so that a go.mod edit or a
// merge cannot quietly link an older release with known advisories, and
// the test that keeps GraphQL out of the token layer's dependencies.
package depcheck
