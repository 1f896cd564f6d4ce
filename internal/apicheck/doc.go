// Package apicheck holds the tests that check the module's public
// packages as one: that they refuse the same endpoints with the same
// error, and that no value they export prints a token or a secret.
package apicheck
