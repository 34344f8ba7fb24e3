package main

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/warcbox/warcbox/wacz"
)

type keygenOptions struct {
	Output string
	Curve  string
	Force  bool
}

func (o *keygenOptions) AddFlags(f *pflag.FlagSet) {
	f.StringVarP(&o.Output, "output", "o", "", "write the private key (PKCS#8 PEM) to this file (required)")
	f.StringVar(&o.Curve, "curve", "P-384", "ECDSA curve: P-384 (ReplayWeb.page checks anonymous signatures only with it) or P-256 (still verified by warcbox)")
	f.BoolVar(&o.Force, "force", false, "overwrite an existing key file")
}

func newKeygenCommand(g *globalOptions) *cobra.Command {
	var opts keygenOptions
	cmd := &cobra.Command{
		Use:   "keygen -o KEY.pem",
		Short: "Make an ECDSA key for signing WACZ packages (capture --sign-key)",
		Long: `keygen writes a new ECDSA private key as PKCS#8 PEM (mode 0600) and prints
its public key (base64 SubjectPublicKeyInfo, as signed WACZ packages carry
it). Give the public key to whoever must check your packages:
warcbox verify --trusted-key KEY checks that a package was signed by you.

Exit status: 0, 1 if the key cannot be written, 2 on bad usage.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runKeygen(cmd.Context(), opts, g) },
	}
	opts.AddFlags(cmd.Flags())
	return cmd
}

func runKeygen(_ context.Context, opts keygenOptions, g *globalOptions) error {
	if opts.Output == "" {
		return usageError{fmt.Errorf("keygen: -o KEY.pem is required")}
	}
	k, err := wacz.GenerateKey(opts.Curve)
	if err != nil {
		return usageError{err}
	}
	pemBytes, err := wacz.EncodeKeyPEM(k)
	if err != nil {
		return err
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if opts.Force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(opts.Output, flags, 0o600)
	if err != nil {
		return fmt.Errorf("keygen: %w", err)
	}
	if _, err := f.Write(pemBytes); err != nil {
		f.Close()
		return fmt.Errorf("keygen: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("keygen: %w", err)
	}
	pub, err := wacz.PublicKeyBase64(&k.PublicKey)
	if err != nil {
		return err
	}
	fmt.Fprintln(g.stdout, pub)
	return nil
}
