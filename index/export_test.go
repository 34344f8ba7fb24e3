package index

// Hooks for the external tests (package index_test), which import wacz:
// wacz imports index, so they cannot be in package index.

type Section = section

// Range is where the WARC lies in the package.
func (s section) Range() (path string, off, size int64) { return s.path, s.off, s.size }

var (
	IndexWACZ      = indexWACZ
	EmbeddedIndex  = embeddedIndex
	ReadCapturesAt = readCapturesAt
)

const MaxPageTitle = maxPageTitle
