package browser

import "testing"

// A frame written through the pipe is logged by the time Write returns:
// the relay forwards it only then, so an answer can never be logged first.
func TestFramePipeWriteReturnsAfterFramesAreLogged(t *testing.T) {
	fp := newFramePipe()
	log := &wsLog{}
	done := make(chan struct{})
	go func() { readFrames(fp, "sent", log); close(done) }()
	frame := []byte{0x81, 0x02, 'h', 'i'} // FIN, text, unmasked "hi"
	for i := 1; i <= 50; i++ {
		// Half a frame first: nothing whole to log yet, and Write must
		// still return.
		if _, err := fp.Write(frame[:1]); err != nil {
			t.Fatal(err)
		}
		if _, err := fp.Write(frame[1:]); err != nil {
			t.Fatal(err)
		}
		log.mu.Lock()
		n := log.n
		log.mu.Unlock()
		if n != i {
			t.Fatalf("after writing frame %d, %d frames logged", i, n)
		}
	}
	fp.Close()
	<-done
	if _, err := fp.Write(frame); err == nil {
		t.Error("Write after Close succeeded")
	}
}
