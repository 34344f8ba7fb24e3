package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/warcbox/warcbox/warc"
)

// expandInputs resolves the archive arguments of a reading command with
// warc.Expand. Each path that cannot be used is reported on stderr by name
// and the others are still read; problems says whether any was reported,
// so the command can exit 1 at the end. With nothing to read it fails.
func expandInputs(g *globalOptions, args []string) (inputs []warc.Input, problems bool, err error) {
	inputs, err = warc.ExpandContext(context.Background(), args, g.stdin, g.warcOptions())
	if err == nil {
		return inputs, false, nil
	}
	for _, e := range unjoin(err) {
		var ie *warc.InputError
		if errors.As(e, &ie) {
			fmt.Fprintf(g.stderr, "warcbox: %v\n", ie)
			problems = true
		}
	}
	if len(inputs) == 0 {
		if problems {
			return nil, true, errProblemsFound
		}
		return nil, false, err
	}
	return inputs, problems, nil
}

// unjoin lists the errors an errors.Join holds, or err alone.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// inputNames lists the names records are attributed to.
func inputNames(inputs []warc.Input) []string {
	names := make([]string, len(inputs))
	for i, in := range inputs {
		names[i] = in.Name
	}
	return names
}
