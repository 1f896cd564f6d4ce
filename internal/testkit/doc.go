// Package testkit holds the helpers that the tests of several packages of
// the module share: a clock that moves only when told to, unsigned JWTs
// shaped like Clerk's, the one poll helper ([WaitFor]), a goroutine leak
// check, a log buffer safe for concurrent writers, and a check that no
// secret is ever printed. It imports no package of the module but clock,
// which imports none, so that the token layer's own tests can use it too;
// token sources for tests are in package sources below it.
package testkit
