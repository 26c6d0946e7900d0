package crawler

// Observer hears what runs do, for metrics. Its methods are called from the
// run's scheduler and workers concurrently: implementations must be safe
// for concurrent use, cheap and never block. Config.Observer nil means
// none.
type Observer interface {
	// Discovered: n article URLs newly queued for outlet (as
	// Counts.Discovered counts them).
	Discovered(outlet string, n int)
	// Fetched: an HTTP answer of status with n body bytes (robots.txt
	// excluded).
	Fetched(outlet string, status, n int)
	// Stored: what the sink did with a parsed article.
	Stored(outlet string, saved Saved)
	// ParseFailed: the parser failed on a page (not "not an article").
	ParseFailed(outlet string)
	// RobotsSkipped: a URL not fetched because robots.txt disallows it
	// (or its host is a refused portal).
	RobotsSkipped(outlet string)
	// Retried: a failed URL queued again for another attempt.
	Retried(outlet string)
	// Failed: a URL given up for this run after its last attempt, for
	// reason (as Counts.Failed counts them).
	Failed(outlet, reason string)
	// QueueDepth samples the URLs of host the run holds (leased, waiting
	// for their turn, or in flight); 0 when the run lets go of the host.
	QueueDepth(host string, n int)
	// Extracted: the fields a newly stored record lacks.
	Extracted(outlet string, missing Missing)
}

// Missing says which of the fields a reader expects a new record lacks.
type Missing struct {
	Title, Body, Reporters, Published bool
}

type nopObserver struct{}

func (nopObserver) Discovered(string, int)    {}
func (nopObserver) Fetched(string, int, int)  {}
func (nopObserver) Stored(string, Saved)      {}
func (nopObserver) ParseFailed(string)        {}
func (nopObserver) RobotsSkipped(string)      {}
func (nopObserver) Retried(string)            {}
func (nopObserver) Failed(string, string)     {}
func (nopObserver) QueueDepth(string, int)    {}
func (nopObserver) Extracted(string, Missing) {}
