package main

import (
	"errors"

	"github.com/spf13/cobra"
)

// Placeholder until the verify command lands; replaced by its implementation.
func newVerifyCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "verify",
		Short: "verify (not built yet)",
		RunE:  func(*cobra.Command, []string) error { return errors.New("verify: not built yet") },
	}
}
