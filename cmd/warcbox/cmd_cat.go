package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder until the cat command lands; replaced by its implementation.
func newCatCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "cat",
		Short: "cat (not built yet)",
		RunE:  func(*cobra.Command, []string) error { return errors.New("cat: not built yet") },
	}
}
