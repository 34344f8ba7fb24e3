package capture

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestMain runs, when TestSpoolAfterKill asks for it, the capture that test
// kills with -9, in a process of its own.
func TestMain(m *testing.M) {
	if dir := os.Getenv("WARCBOX_SPOOL_CHILD"); dir != "" {
		o := testOptions(filepath.Dir(dir))
		o.IgnoreRobots = true
		o.Timeout = time.Minute
		Run(context.Background(), []string{os.Getenv("WARCBOX_SPOOL_URL")}, o)
		os.Exit(0)
	}
	os.Exit(m.Run())
}
