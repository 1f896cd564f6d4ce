// Package fakeclerk is the engine behind clerkhasuratest's fake Clerk: an
// [http.Handler] that answers the Clerk Backend API routes the SDK uses,
// mints RS256 tokens from named templates, manages signing keys, injects
// faults and counts requests.
//
// Users reach it through clerkhasuratest.NewClerk; this package has no
// test-framework dependencies so that the public kit can wrap it in an
// httptest server and a Tester.
package fakeclerk
