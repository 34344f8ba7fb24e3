package fetch

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// spool holds recorded bytes in memory up to a limit and on disk beyond it,
// so that a large response costs a temporary file, not memory.
type spool struct {
	mem   bytes.Buffer
	f     *os.File
	n     int64
	limit int
	dir   string
}

func newSpool(limit int, dir string) *spool { return &spool{limit: limit, dir: dir} }

func (s *spool) Write(p []byte) (int, error) {
	if s.f == nil && s.mem.Len()+len(p) > s.limit {
		f, err := os.CreateTemp(s.dir, "warcbox-spool-*")
		if err != nil {
			return 0, fmt.Errorf("spool: %w", err)
		}
		if _, err := f.Write(s.mem.Bytes()); err != nil {
			f.Close()
			os.Remove(f.Name())
			return 0, fmt.Errorf("spool: %w", err)
		}
		s.mem = bytes.Buffer{}
		s.f = f
	}
	var n int
	var err error
	if s.f != nil {
		n, err = s.f.Write(p)
	} else {
		n, err = s.mem.Write(p)
	}
	s.n += int64(n)
	return n, err
}

// Len is the number of bytes written.
func (s *spool) Len() int64 { return s.n }

// Reader reads the spooled bytes from the start; each call starts afresh.
func (s *spool) Reader() io.Reader {
	if s.f != nil {
		return io.NewSectionReader(s.f, 0, s.n)
	}
	return bytes.NewReader(s.mem.Bytes())
}

// Close removes the temporary file, if any.
func (s *spool) Close() error {
	if s.f == nil {
		return nil
	}
	name := s.f.Name()
	err := s.f.Close()
	if rerr := os.Remove(name); err == nil {
		err = rerr
	}
	s.f = nil
	return err
}
