package ui

import (
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Progress is the one progress bar of the commands. A nil *Progress is
// valid and shows nothing, so callers need not check.
type Progress struct{ bar *progressbar.ProgressBar }

// NewCounter returns a bar on w counting things done out of a total that
// grows as work is found (capture: URLs done out of done + queued), with
// the elapsed time.
func NewCounter(w io.Writer, description string) *Progress {
	return &Progress{bar: progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(description),
		progressbar.OptionShowCount(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

// NewBytes returns a bar on w counting bytes read out of total (extract:
// the inputs' sizes).
func NewBytes(w io.Writer, description string, total int64) *Progress {
	return &Progress{bar: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(description),
		progressbar.OptionShowBytes(true),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

// Add counts n more done.
func (p *Progress) Add(n int64) {
	if p != nil {
		_ = p.bar.Add64(n)
	}
}

// Set shows done out of total.
func (p *Progress) Set(done, total int) {
	if p != nil {
		p.bar.ChangeMax(total)
		_ = p.bar.Set(done)
	}
}

// Describe replaces the text beside the bar.
func (p *Progress) Describe(s string) {
	if p != nil {
		p.bar.Describe(s)
	}
}

// Finish clears the bar.
func (p *Progress) Finish() {
	if p != nil {
		_ = p.bar.Finish()
	}
}
