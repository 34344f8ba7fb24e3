package replay

import (
	"context"
	"log/slog"

	"github.com/warcbox/warcbox/index"
)

func indexWACZ(ctx context.Context, p, name string, log *slog.Logger) ([]index.Capture, error) {
	return nil, errf("%s: WACZ files are not supported yet", p)
}
