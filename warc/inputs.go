package warc

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/warcbox/warcbox/storage"
)

// archiveSuffixes are the names of files that hold records. A ".open"
// suffix marks a file a crawler is still writing (or left behind when it
// was killed): its records up to the last whole one are readable, so every
// command takes it.
var archiveSuffixes = []string{".warc", ".warc.gz", ".warc.zst", ".arc", ".arc.gz"}

// IsArchiveFile reports whether a file name is that of a WARC or ARC file
// (.warc, .warc.gz, .warc.zst, .arc, .arc.gz, each also with .open), case
// aside. It is the one list every command uses to pick files out of a folder.
func IsArchiveFile(name string) bool {
	n := strings.TrimSuffix(strings.ToLower(name), ".open")
	for _, s := range archiveSuffixes {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

// IsPackageFile reports whether a file name is that of a WACZ package.
func IsPackageFile(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), ".wacz")
}

// Input is one stream of records to read: a WARC or ARC file, or a WARC
// stored in a WACZ package.
type Input struct {
	// Name is how records are attributed: the path, or
	// "x.wacz#archive/y.warc.gz" for a package member. Open(Name) and
	// OpenFile(Name) open it.
	Name string
	// Path is the file that holds the records (the package for a member).
	Path string
	// Member is the package member's name ("archive/y.warc.gz"), or "".
	Member string
	// Size is the input's size in bytes as stored, for progress.
	Size int64
}

// ErrNoInputs is returned by Expand when the arguments name no archive.
var ErrNoInputs = errors.New("warc: no WARC, ARC or WACZ files found")

// InputError is a path Expand could not use; the other inputs are kept.
type InputError struct {
	Path string
	Err  error
}

func (e *InputError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Expand turns command-line arguments into the inputs they name, the one
// expander every reading command uses:
//   - a file is taken whatever its name;
//   - a folder is walked recursively for IsArchiveFile and IsPackageFile
//     names, sorted so output is reproducible; links are followed to files
//     only, so a looping link cannot stall the walk;
//   - an argument that does not exist and holds *, ? or [ is a glob, its
//     matches sorted;
//   - "-" reads such arguments from stdin, one a line (Spark's RDD.pipe and
//     Hadoop streaming feed paths that way);
//   - a WACZ package stands for the WARC files in it, each named
//     "x.wacz#archive/y.warc.gz".
//
// Order is as given. A path that cannot be used (missing, unreadable, a
// broken or looping link, a package that is not a zip) is an *InputError;
// Expand goes on with the others and returns what it found together with
// the problems joined, so a caller reports them and still reads the rest.
// With no inputs at all the error also wraps ErrNoInputs.
func Expand(args []string, stdin io.Reader) ([]Input, error) {
	return ExpandContext(context.Background(), args, stdin, Options{})
}

// ExpandContext is Expand for remote names too, reached through
// opt.Store: an s3://bucket/prefix/ or an https:// directory listing
// (a name ending in "/") is a folder, listed recursively and sorted, a
// remote .wacz stands for its WARCs (its zip directory is read by Range),
// and any other URL is one input. Input.Name is the URL without
// credentials (storage.Redact); Input.Path keeps them, for opening.
func ExpandContext(ctx context.Context, args []string, stdin io.Reader, opt Options) ([]Input, error) {
	e := expander{ctx: ctx, st: opt.store(), stdin: stdin}
	for _, a := range args {
		e.arg(a)
	}
	if len(e.out) == 0 {
		e.problems = append(e.problems, ErrNoInputs)
	}
	return e.out, errors.Join(e.problems...)
}

type expander struct {
	ctx      context.Context
	st       *storage.Store
	stdin    io.Reader
	readIn   bool // stdin was read: "-" again adds nothing
	out      []Input
	problems []error
}

func (e *expander) fail(path string, err error) {
	e.problems = append(e.problems, &InputError{Path: path, Err: err})
}

func (e *expander) arg(arg string) {
	if arg == "-" {
		e.fromStdin()
		return
	}
	if storage.IsRemote(arg) {
		e.remote(arg)
		return
	}
	st, err := os.Stat(arg)
	switch {
	case err == nil && st.IsDir():
		e.folder(arg)
	case err == nil:
		e.file(arg, st.Size())
	case strings.ContainsAny(arg, "*?[") && errors.Is(err, fs.ErrNotExist):
		m, gerr := filepath.Glob(arg)
		if gerr != nil {
			e.fail(arg, fmt.Errorf("bad glob: %w", gerr))
			return
		}
		if len(m) == 0 {
			e.fail(arg, errors.New("glob matches nothing"))
			return
		}
		sort.Strings(m)
		for _, p := range m {
			e.arg(p)
		}
	default:
		if _, member, ok := SplitMember(arg); ok {
			e.member(arg, member)
			return
		}
		e.fail(arg, unwrapPathError(err))
	}
}

func (e *expander) fromStdin() {
	if e.readIn {
		return
	}
	if e.stdin == nil {
		e.fail("-", errors.New("no standard input to read paths from"))
		return
	}
	e.readIn = true
	sc := bufio.NewScanner(e.stdin)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && l != "-" {
			e.arg(l)
		}
	}
	if err := sc.Err(); err != nil {
		e.fail("-", fmt.Errorf("read paths: %w", err))
	}
}

func (e *expander) folder(dir string) {
	type found struct {
		path string
		size int64
	}
	var files []found
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			e.fail(p, unwrapPathError(err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !(IsArchiveFile(d.Name()) || IsPackageFile(d.Name())) {
			return nil
		}
		// Stat follows a link: a broken or looping one is reported here,
		// by name, instead of failing the command later.
		st, err := os.Stat(p)
		if err != nil {
			e.fail(p, unwrapPathError(err))
			return nil
		}
		if st.Mode().IsRegular() {
			files = append(files, found{p, st.Size()})
		}
		return nil
	})
	if err != nil {
		e.fail(dir, unwrapPathError(err))
	}
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	for _, f := range files {
		e.file(f.path, f.size)
	}
}

func (e *expander) file(path string, size int64) {
	name := storage.Redact(path)
	if !IsPackageFile(path) {
		e.out = append(e.out, Input{Name: name, Path: path, Size: size})
		return
	}
	members, err := e.packageMembers(path)
	if err != nil {
		e.fail(name, err)
		return
	}
	if len(members) == 0 {
		e.fail(name, errors.New("no WARC files under archive/ in the package"))
		return
	}
	for _, m := range members {
		e.out = append(e.out, Input{Name: name + MemberSep + m.Name, Path: path, Member: m.Name, Size: m.Size})
	}
}

// remote takes a URL: a folder (s3 prefix, https listing) or one object.
func (e *expander) remote(arg string) {
	if _, member, ok := SplitMember(arg); ok {
		e.member(arg, member)
		return
	}
	if storage.IsFolder(arg) {
		list, err := e.st.List(e.ctx, arg)
		if err != nil {
			e.fail(storage.Redact(arg), unwrapStorage(err))
			return
		}
		n := 0
		for _, info := range list {
			base := path.Base(info.Name)
			if IsArchiveFile(base) || IsPackageFile(base) {
				e.file(info.Name, info.Size)
				n++
			}
		}
		if n == 0 {
			e.fail(storage.Redact(arg), errors.New("no WARC, ARC or WACZ files under it"))
		}
		return
	}
	if IsPackageFile(arg) {
		e.file(arg, 0) // its members have sizes of their own
		return
	}
	info, err := e.st.Stat(e.ctx, arg)
	if err != nil {
		e.fail(storage.Redact(arg), unwrapStorage(err))
		return
	}
	e.file(arg, info.Size)
}

// unwrapStorage drops a *storage.Error's own URL, since InputError names
// it already; the offset of a failed stat or list is always 0.
func unwrapStorage(err error) error {
	var se *storage.Error
	if errors.As(err, &se) && se.Offset == 0 {
		return se.Err
	}
	return err
}

// member takes "x.wacz#archive/y.warc.gz" named on its own.
func (e *expander) member(name, member string) {
	pkg, _, _ := SplitMember(name)
	obj, m, err := openMember(e.ctx, e.st, pkg, member)
	if err != nil {
		e.fail(storage.Redact(name), unwrapStorage(unwrapPathError(err)))
		return
	}
	obj.Close()
	e.out = append(e.out, Input{Name: storage.Redact(name), Path: pkg, Member: member, Size: m.Size})
}

func (e *expander) packageMembers(path string) ([]WACZMember, error) {
	obj, members, err := openPackage(e.ctx, e.st, path)
	if err != nil {
		return nil, unwrapStorage(unwrapPathError(err))
	}
	obj.Close()
	return members, nil
}

// unwrapPathError drops an *fs.PathError's own path and operation, since
// InputError names the path already ("x: no such file or directory").
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
