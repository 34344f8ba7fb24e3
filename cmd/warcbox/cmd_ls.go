package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder until the ls command lands; replaced by its implementation.
func newLsCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "ls",
		Short: "ls (not built yet)",
		RunE:  func(*cobra.Command, []string) error { return errors.New("ls: not built yet") },
	}
}
