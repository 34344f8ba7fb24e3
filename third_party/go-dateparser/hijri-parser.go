package dateparser

import (
	"fmt"

	"github.com/warcbox/warcbox/third_party/go-dateparser/date"
	"github.com/warcbox/warcbox/third_party/go-dateparser/internal/parser/hijri"
)

// ParseHijri converts an absolute Hijri date in the Umm al-Qura calendar to a
// Gregorian date. It defaults to MDY order and does not parse relative dates.
func ParseHijri(cfg *Configuration, str string) (date.Date, error) {
	// Prepare config
	if cfg == nil {
		cfg = &Configuration{}
	}

	dateOrder := "MDY"
	if cfg.DateOrder != nil {
		do := cfg.DateOrder("")
		if do, valid := validateDateOrder(do); valid {
			dateOrder = do
		}
	}

	cfg = cfg.initiate()
	err := cfg.validate()
	if err != nil {
		return date.Date{}, fmt.Errorf("config error: %w", err)
	}

	// Start parser
	iCfg := cfg.toInternalConfig()
	iCfg.DateOrder = dateOrder
	return hijri.Parse(iCfg, str)
}
