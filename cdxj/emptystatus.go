package cdxj

// SetEmptyStatus makes the line carry "status":"" as warcio.js writes for a
// response whose HTTP head has no status code (dns: records, for one).
func (l *Line) SetEmptyStatus() {
	l.Status = ""
	l.present |= fStatus
}
