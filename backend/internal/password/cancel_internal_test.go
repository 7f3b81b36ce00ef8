package password

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A request whose context is cancelled while every hashing worker is busy
// gives up with the context's error and never hashes (V15.2.2): a burst of
// logins whose clients went away cannot keep the workers busy. Made
// deterministic by occupying the only worker with a job whose result the
// test holds back: the job channel is unbuffered, so while the worker is
// held no other job can be taken, and a Verify that returns has provably
// not handed its job over.
func TestCancelledRequestNeverHashes(t *testing.T) {
	t.Parallel()
	p := Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}
	h := NewHasher(p, 1)
	defer h.Close()
	enc, err := h.Hash(context.Background(), "richtig")
	if err != nil {
		t.Fatal(err)
	}
	held := make(chan []byte) // unbuffered: the worker blocks handing over the result
	h.jobs <- job{pw: []byte("x"), salt: make([]byte, 16), p: p, keyLen: 32, out: held}
	// The send returned: the worker has the job and will block on held.

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan error, 2)
	go func() { done <- h.Verify(ctx, enc, "richtig") }()
	go func() { _, err := h.Hash(ctx, "neu"); done <- err }()
	for i := 0; i < 2; i++ {
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled request: %v, want context.Canceled", err)
			}
		case <-time.After(time.Minute): // only reached when the request waits for the worker
			<-held
			t.Fatalf("a cancelled request waited for a busy worker: %v", <-done)
		}
	}
	<-held // release the worker; it is free for new work
	if err := h.Verify(context.Background(), enc, "richtig"); err != nil {
		t.Fatalf("after release: %v", err)
	}
}
