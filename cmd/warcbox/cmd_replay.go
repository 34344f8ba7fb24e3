package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder until the replay command lands; replaced by its implementation.
func newReplayCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "replay",
		Short: "replay (not built yet)",
		RunE:  func(*cobra.Command, []string) error { return errors.New("replay: not built yet") },
	}
}
