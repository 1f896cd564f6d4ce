package clerkhasuratest

import (
	"fmt"
	"io"
	"sync"
)

// Tester is the part of [testing.TB] the fakes use. *testing.T, *testing.B
// and *testing.F satisfy it, and so does any type a test framework offers
// with these four methods.
//
// The fakes call Fatalf only from the goroutine that called them, for
// misuse (an invalid template, an unknown session) that a test cannot
// recover from.
type Tester interface {
	Helper()
	Logf(format string, args ...any)
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// StandaloneTester is a [Tester] for code that runs outside `go test`, such
// as examples and demo programs. Its zero value is ready to use:
//
//	var st clerkhasuratest.StandaloneTester
//	defer st.Close()
//	fc := clerkhasuratest.NewClerk(&st, nil)
//
// Helper does nothing, Logf writes a line to Log when it is set, Fatalf
// panics with the formatted message, and the functions given to Cleanup run
// when Close is called, the last registered first. It is safe for
// concurrent use.
type StandaloneTester struct {
	// Log receives Logf's lines. Optional. Default: nowhere.
	Log io.Writer

	mu       sync.Mutex
	cleanups []func()
}

// Helper does nothing: there is no test output to attribute lines in.
func (s *StandaloneTester) Helper() {}

// Logf writes the formatted line to s.Log, if set.
func (s *StandaloneTester) Logf(format string, args ...any) {
	if s.Log != nil {
		fmt.Fprintf(s.Log, format+"\n", args...)
	}
}

// Fatalf panics with the formatted message.
func (s *StandaloneTester) Fatalf(format string, args ...any) {
	panic(fmt.Sprintf(format, args...))
}

// Cleanup registers f to run on [StandaloneTester.Close].
func (s *StandaloneTester) Cleanup(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cleanups = append(s.cleanups, f)
}

// Close runs the registered cleanup functions, the last registered first,
// and forgets them, so a second Close does nothing.
func (s *StandaloneTester) Close() {
	s.mu.Lock()
	fs := s.cleanups
	s.cleanups = nil
	s.mu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}
