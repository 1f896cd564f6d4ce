package clerkhasuratest

import (
	"fmt"
	"io"
	"sync"
)

// Tester is the part of [testing.TB] the fakes use. The fakes call Fatalf
// only from the goroutine that called them, for misuse (an invalid
// template, an unknown session).
type Tester interface {
	Helper()
	Logf(format string, args ...any)
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// StandaloneTester is a [Tester] for code that runs outside `go test`,
// such as examples: Fatalf panics, and Close runs the cleanups. Its zero
// value is ready to use, and it is safe for concurrent use.
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

// Close runs the registered cleanups, the last registered first, and
// forgets them.
func (s *StandaloneTester) Close() {
	s.mu.Lock()
	fs := s.cleanups
	s.cleanups = nil
	s.mu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}
