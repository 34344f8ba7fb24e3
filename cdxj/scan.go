package cdxj

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
)

// Lines reads an index sequentially (sorted or not), yielding every line
// in order. A malformed line is yielded as a *LineError (name, offset,
// reason) and reading goes on; a read error or a cancelled ctx is yielded
// last. Classic CDX header lines and blank lines are skipped. name is
// used in errors.
func Lines(ctx context.Context, r io.Reader, name string) iter.Seq2[Line, error] {
	return func(yield func(Line, error) bool) {
		br := bufio.NewReaderSize(r, 64<<10)
		var off int64
		var long []byte
		for n := 0; ; n++ {
			if n&1023 == 0 {
				if err := ctx.Err(); err != nil {
					yield(Line{}, fmt.Errorf("cdxj: read %s: %w", name, err))
					return
				}
			}
			line, err := readLine(br, &long)
			if err != nil && err != io.EOF {
				yield(Line{}, &LineError{File: name, Offset: off, Err: err})
				return
			}
			lineOff := off
			off += int64(len(line))
			if len(bytes.TrimSpace(line)) > 0 {
				l, perr := Parse(line)
				switch {
				case errors.Is(perr, ErrHeader):
				case perr != nil:
					if !yield(Line{}, &LineError{File: name, Offset: lineOff, Err: perr}) {
						return
					}
				default:
					if !yield(l, nil) {
						return
					}
				}
			}
			if err == io.EOF {
				return
			}
		}
	}
}

// readLine returns the next line with its newline, however long: lines
// longer than the reader's buffer are gathered in *long.
func readLine(br *bufio.Reader, long *[]byte) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		return line, err
	}
	*long = append((*long)[:0], line...)
	for errors.Is(err, bufio.ErrBufferFull) {
		line, err = br.ReadSlice('\n')
		*long = append(*long, line...)
	}
	return *long, err
}
