// Package signin is what the module's commands share to act as a Clerk
// user: the -session and -user flags, the environment that names Clerk
// and Hasura, and signing in, which gives a cached source of the user's
// Hasura tokens.
//
// Its errors are written for a command's standard error, which puts the
// command's name in front: they carry no package prefix, and never a
// secret key or a token.
package signin
