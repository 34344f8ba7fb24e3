package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder until the capture command lands; replaced by its implementation.
func newCaptureCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "capture",
		Short: "capture (not built yet)",
		RunE:  func(*cobra.Command, []string) error { return errors.New("capture: not built yet") },
	}
}
