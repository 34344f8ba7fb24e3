package warc

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
	"github.com/warcbox/warcbox/storage"
)

// errStreamBreak tells the record parser that the decompressed stream broke
// (a corrupt or cut gzip member) and resumed at a later member: whatever
// record was being read is cut there.
var errStreamBreak = errors.New("warc: stream break")

// member is one gzip member: where its decompressed bytes start and where
// it lies on disk. cend is -1 until the member has been read to its end.
type member struct {
	dstart, cstart, cend int64
}

// gzipSource presents the concatenated members of a gzip file as one stream
// and remembers where each member starts, on disk and in the stream. It
// reads member by member (never multistream) so that member boundaries, and
// so record offsets, are exact; corrupt members and garbage between them are
// reported and skipped.
type gzipSource struct {
	raw      *storage.CountingReader
	br       *bufio.Reader
	zr       gzip.Reader
	inMember bool
	done     bool
	dtotal   int64
	members  []member
	problems []*RecordError
	file     string
	// seeker, when the file can seek, lets a cut member be rescanned.
	seeker     io.Seeker
	rescanning bool // looking for a real member after a broken one
}

func newGzipSource(raw *storage.CountingReader, br *bufio.Reader, file string) *gzipSource {
	return &gzipSource{raw: raw, br: br, file: file}
}

// coff is the on-disk offset of the next compressed byte to be consumed.
func (s *gzipSource) coff() int64 { return s.raw.N - int64(s.br.Buffered()) }

func (s *gzipSource) Read(p []byte) (int, error) {
	for {
		if s.done {
			return 0, io.EOF
		}
		if !s.inMember {
			if err := s.startMember(); err != nil {
				return 0, err
			}
			continue
		}
		n, err := s.zr.Read(p)
		s.dtotal += int64(n)
		m := &s.members[len(s.members)-1]
		switch {
		case err == nil:
			if n > 0 {
				s.rescanning = false
			}
			return n, nil
		case err == io.EOF:
			m.cend = s.coff()
			s.inMember = false
			if n > 0 {
				return n, nil
			}
		default:
			m.cend = s.coff()
			s.inMember = false
			falseStart := s.rescanning && s.dtotal == m.dstart
			if !falseStart {
				if errors.Is(err, io.ErrUnexpectedEOF) {
					err = fmt.Errorf("gzip member cut short: %w", err)
				}
				s.problems = append(s.problems, &RecordError{File: s.file, Offset: m.cstart, Err: fmt.Errorf("%w: %v", ErrBadGzip, err)})
			}
			// A cut member's decoder has read into the members after it:
			// go back to just after its start and look for the next one.
			if s.seeker != nil {
				if _, serr := s.seeker.Seek(m.cstart+1, io.SeekStart); serr == nil {
					s.br.Reset(s.raw)
					s.raw.N = m.cstart + 1
					s.rescanning = true
				}
			}
			if falseStart {
				s.members = s.members[:len(s.members)-1]
				continue
			}
			if n > 0 {
				return n, nil
			}
			return 0, errStreamBreak
		}
	}
}

var gzipMagic = []byte{0x1f, 0x8b, 0x08}

// startMember opens the next gzip member, skipping (and reporting) any bytes
// before it that are not gzip data.
func (s *gzipSource) startMember() error {
	garbageAt := int64(-1)
	for {
		b, err := s.br.Peek(3)
		if len(b) == 0 || (err != nil && len(b) < 3) {
			if len(b) > 0 && garbageAt < 0 {
				garbageAt = s.coff()
			}
			if garbageAt >= 0 && !s.rescanning {
				s.problems = append(s.problems, &RecordError{File: s.file, Offset: garbageAt,
					Err: fmt.Errorf("%w: %d bytes after the last gzip member", ErrTrailingGarbage, s.raw.N-garbageAt)})
			}
			s.done = true
			if err != nil && err != io.EOF {
				return fmt.Errorf("read %s: %w", s.file, err)
			}
			return io.EOF
		}
		if b[0] == gzipMagic[0] && b[1] == gzipMagic[1] && b[2] == gzipMagic[2] {
			off := s.coff()
			err := s.zr.Reset(s.br)
			if err == nil {
				s.zr.Multistream(false)
				if garbageAt >= 0 && !s.rescanning {
					s.problems = append(s.problems, &RecordError{File: s.file, Offset: garbageAt,
						Err: fmt.Errorf("%w: %d bytes skipped before the gzip member at %d", ErrTrailingGarbage, off-garbageAt, off)})
				}
				s.members = append(s.members, member{dstart: s.dtotal, cstart: off, cend: -1})
				s.inMember = true
				return nil
			}
			// A bad or cut header. Reset has consumed bytes: go back to just
			// after the magic when the file can seek, and look further.
			if s.seeker != nil {
				if _, serr := s.seeker.Seek(off+1, io.SeekStart); serr == nil {
					s.br.Reset(s.raw)
					s.raw.N = off + 1
					if garbageAt < 0 {
						garbageAt = off
					}
					continue
				}
			}
			if !s.rescanning {
				s.problems = append(s.problems, &RecordError{File: s.file, Offset: off, Err: fmt.Errorf("%w: bad gzip member header: %v", ErrBadGzip, err)})
			}
			garbageAt = -1
			if _, err := s.br.Discard(1); err != nil {
				s.done = true
				return io.EOF
			}
			continue
		}
		if garbageAt < 0 {
			garbageAt = s.coff()
		}
		if _, err := s.br.Discard(1); err != nil {
			return err
		}
	}
}

// memberAt returns the index of the member holding decompressed position pos.
func (s *gzipSource) memberAt(pos int64) int {
	i := len(s.members) - 1
	for i > 0 && s.members[i].dstart > pos {
		i--
	}
	return i
}

// prune forgets members that end before pos, keeping memory flat.
func (s *gzipSource) prune(pos int64) {
	i := s.memberAt(pos)
	if i > 16 {
		n := copy(s.members, s.members[i:])
		s.members = s.members[:n]
	}
}
