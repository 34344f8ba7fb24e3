package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder until the index command lands; replaced by its implementation.
func newIndexCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "index",
		Short: "index (not built yet)",
		RunE:  func(*cobra.Command, []string) error { return errors.New("index: not built yet") },
	}
}
