package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
)

// LsRow is one record as `warcbox ls` lists it; the JSON names are the
// fields of `ls --json`.
type LsRow struct {
	File        string `json:"file"`
	Offset      int64  `json:"offset"`
	Length      int64  `json:"length"`
	Type        string `json:"type"`
	Date        string `json:"date"`
	TargetURI   string `json:"target_uri"`
	ContentType string `json:"content_type"`
	Status      int    `json:"status,omitempty"`
	RecordID    string `json:"record_id"`
}

// NewLsPrinter returns ls's printer: an aligned table, or one JSON object
// a line.
func NewLsPrinter(t Term) Printer[LsRow] {
	if t.JSON {
		return lsJSON{json.NewEncoder(t.Out)}
	}
	tw := tabwriter.NewWriter(t.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OFFSET\tLENGTH\tTYPE\tDATE\tTARGET-URI\tCONTENT-TYPE\tSTATUS")
	return lsText{tw}
}

type lsText struct{ tw *tabwriter.Writer }

func (p lsText) Print(row LsRow) error {
	status := "-"
	if row.Status != 0 {
		status = fmt.Sprint(row.Status)
	}
	_, err := fmt.Fprintf(p.tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\n", row.Offset, row.Length, row.Type, row.Date,
		row.TargetURI, orDash(row.ContentType), status)
	return err
}

func (p lsText) Close() error {
	if err := p.tw.Flush(); err != nil && !errors.Is(err, io.ErrClosedPipe) {
		return err
	}
	return nil
}

type lsJSON struct{ enc *json.Encoder }

func (p lsJSON) Print(row LsRow) error { return p.enc.Encode(row) }
func (lsJSON) Close() error            { return nil }
