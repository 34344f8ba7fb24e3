package shard

import (
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Temporary part names carry their owner: ".NAME.HOST~PID~RAND.tmp" (the
// leading dot hides them from Spark, Hadoop and Dask readers), HOST being
// the host name with everything but letters, digits and '-' replaced by
// '-'. A rerun of the part can then tell a temporary left by a killed
// worker from one a live duplicate of the task is still writing.

// owner is who writes temporaries here: this host and process.
type owner struct {
	host string
	pid  int
}

func self() owner {
	h, _ := os.Hostname()
	return owner{host: hostLabel(h), pid: os.Getpid()}
}

func hostLabel(h string) string {
	if h == "" {
		return "unknown"
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, h)
}

// tempPattern is the os.CreateTemp pattern of NAME's temporaries: the
// random part replaces "*".
func (o owner) tempPattern(prefix, name string) string {
	return prefix + name + "." + o.host + "~" + strconv.Itoa(o.pid) + "~*.tmp"
}

// parseTemp reads the owner of a temporary of NAME from its file name, or
// reports that the file is not one (another part's, or a name written
// before temporaries carried owners).
func parseTemp(file, prefix, name string) (owner, bool) {
	rest, ok := strings.CutPrefix(file, prefix+name+".")
	if !ok {
		return owner{}, false
	}
	rest, ok = strings.CutSuffix(rest, ".tmp")
	if !ok {
		return owner{}, false
	}
	f := strings.Split(rest, "~")
	if len(f) != 3 || f[0] == "" || hostLabel(f[0]) != f[0] || f[2] == "" {
		return owner{}, false
	}
	pid, err := strconv.Atoi(f[1])
	if err != nil || pid <= 0 {
		return owner{}, false
	}
	return owner{host: f[0], pid: pid}, true
}

// stale reports why a temporary of NAME may be removed by a rerun of the
// part, or "" to keep it: its owner process on this host is gone, or it
// has not been written to for staleAfter (if > 0), the bound for owners on
// other hosts (a worker on another node sharing the folder).
func stale(o, me owner, mod time.Time, staleAfter time.Duration, now time.Time) string {
	// Two hosts whose names could not be read are both "unknown": a pid
	// there says nothing about this host's processes.
	if o.host == me.host && o.host != "unknown" && o.pid != me.pid && !processAlive(o.pid) {
		return "its process is gone"
	}
	if staleAfter > 0 && now.Sub(mod) > staleAfter {
		return "not written to for longer than --stale-after"
	}
	return ""
}

// removeStale removes the stale temporaries of NAME in dir (prefix is what
// the temporaries' names start with before NAME) and logs each.
func removeStale(dir, prefix, name string, staleAfter time.Duration, log *slog.Logger) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			log.Warn("part: stale temporaries not looked for", "dir", dir, "err", err)
		}
		return
	}
	me, now := self(), time.Now()
	for _, e := range ents {
		o, ok := parseTemp(e.Name(), prefix, name)
		if !ok || e.IsDir() {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue
		}
		why := stale(o, me, fi.ModTime(), staleAfter, now)
		if why == "" {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			log.Warn("part: stale temporary not removed", "file", p, "err", err)
			continue
		}
		log.Info("part: stale temporary removed", "file", p, "reason", why, "owner", o.host+" pid "+strconv.Itoa(o.pid))
	}
}
