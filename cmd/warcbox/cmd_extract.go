package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder until the extract command lands; replaced by its implementation.
func newExtractCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "extract",
		Short: "extract (not built yet)",
		RunE:  func(*cobra.Command, []string) error { return errors.New("extract: not built yet") },
	}
}
