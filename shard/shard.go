// Package shard holds the contract of sharded, resumable runs that any
// engine can drive (Dask, Spark's RDD.pipe, Hadoop streaming, Slurm job
// arrays): which inputs one shard of N takes (Spec), and output parts that
// appear under their final name only once complete (Dir), so that a rerun
// skips finished parts and a killed worker leaves nothing that looks done.
package shard

import (
	"fmt"
	"strconv"
	"strings"
)

// Spec names shard I of N (0 ≤ I < N). The zero value is the whole run.
type Spec struct {
	I, N int
}

// Parse reads "I/N" as written on the command line; "" is the whole run.
// Shards count from 0, as Dask's, Spark's and Slurm's task indexes do.
func Parse(s string) (Spec, error) {
	if s == "" {
		return Spec{}, nil
	}
	is, ns, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(is))
	n, err2 := strconv.Atoi(strings.TrimSpace(ns))
	if !ok || err1 != nil || err2 != nil {
		return Spec{}, fmt.Errorf("shard %q: want I/N, e.g. 0/4", s)
	}
	if n < 1 || i < 0 || i >= n {
		return Spec{}, fmt.Errorf("shard %q: I must be 0…N-1 and N at least 1 (shards count from 0)", s)
	}
	return Spec{I: i, N: n}, nil
}

// All reports whether the spec takes everything (no --shard, or 0/1).
func (s Spec) All() bool { return s.N <= 1 }

func (s Spec) String() string {
	if s.All() {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.I, s.N)
}

// TakesInput reports whether the k-th input (0-based, in the order the
// inputs expand: as given, folders and globs sorted) belongs to the shard:
// k mod N = I. It depends on the list alone, not on sizes or clocks, so
// every worker given the same arguments agrees on the split.
func (s Spec) TakesInput(k int) bool {
	return s.All() || k%s.N == s.I
}

// RowBlock is how many consecutive rows of a records file go to one shard
// together: records next to each other in a file usually come next to each
// other in a sorted selection, and kept in one shard they are still read
// with one request.
const RowBlock = 16

// TakesRow reports whether data row r (0-based, in file order) of a
// records file belongs to the shard: ⌊r / RowBlock⌋ mod N = I.
func (s Spec) TakesRow(r int64) bool {
	return s.All() || (r/RowBlock)%int64(s.N) == int64(s.I)
}

// Take keeps the shard's share of a list of inputs: every Nth, from I.
func Take[T any](s Spec, inputs []T) []T {
	if s.All() {
		return inputs
	}
	var out []T
	for k, in := range inputs {
		if s.TakesInput(k) {
			out = append(out, in)
		}
	}
	return out
}
