package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// History is how many runs per outlet the state keeps (for the plots and
// the alarms).
const History = 48

// Extraction counts the fields a run's new records lacked.
type Extraction struct {
	Checked int            `json:"checked"` // new records
	Missing map[string]int `json:"missing"` // field → records lacking it
}

// Health is the share of checked records that have field (1 when none was
// checked).
func (e Extraction) Health(field string) float64 {
	if e.Checked == 0 {
		return 1
	}
	return 1 - float64(e.Missing[field])/float64(e.Checked)
}

// Record is one ended run of an outlet.
type Record struct {
	Outlet     string     `json:"outlet"`
	Slot       time.Time  `json:"slot"`
	Started    time.Time  `json:"started"`
	Finished   time.Time  `json:"finished"`
	Stopped    string     `json:"stopped"` // the crawler's: done, interrupted, max-duration, error
	Error      string     `json:"error,omitempty"`
	Discovered int        `json:"discovered"`
	Fetched    int        `json:"fetched"`
	New        int        `json:"new"`
	Updated    int        `json:"updated"`
	Unchanged  int        `json:"unchanged"`
	Failed     int        `json:"failed"`
	Extraction Extraction `json:"extraction"`
}

// Result is the run's result label: error, interrupted or done.
func (r Record) Result() string {
	switch {
	case r.Error != "":
		return "error"
	case r.Stopped == "interrupted" || r.Stopped == "max-duration":
		return "interrupted"
	}
	return "done"
}

// OutletState is what the state file keeps of one outlet.
type OutletState struct {
	LastSlot time.Time `json:"last_slot"` // slot of the last run that ended
	Runs     []Record  `json:"runs"`      // oldest first, at most History
}

// State is the runs of every outlet, kept in a JSON file written
// atomically after each run. Safe for concurrent use.
type State struct {
	path string
	mu   sync.Mutex
	data map[string]*OutletState
}

// stateVersion is the file's format.
const stateVersion = 1

type stateFile struct {
	Version int                     `json:"version"`
	Outlets map[string]*OutletState `json:"outlets"`
}

// OpenState reads the state file at path, or starts an empty one when it
// does not exist. Nothing is written until Add.
func OpenState(path string) (*State, error) {
	s := &State{path: path, data: map[string]*OutletState{}}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("serve state: %w", err)
	}
	var f stateFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("serve state %s: %w (move it away to start a new history)", path, err)
	}
	if f.Version != stateVersion {
		return nil, fmt.Errorf("serve state %s: version %d, want %d", path, f.Version, stateVersion)
	}
	for id, o := range f.Outlets {
		if o != nil {
			s.data[id] = o
		}
	}
	return s, nil
}

// Add appends a run to its outlet's history and writes the file.
func (s *State) Add(rec Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.data[rec.Outlet]
	if o == nil {
		o = &OutletState{}
		s.data[rec.Outlet] = o
	}
	o.Runs = append(o.Runs, rec)
	if n := len(o.Runs) - History; n > 0 {
		o.Runs = slices.Delete(o.Runs, 0, n)
	}
	if rec.Slot.After(o.LastSlot) {
		o.LastSlot = rec.Slot
	}
	return s.write()
}

// Outlet returns a copy of an outlet's state (zero when it never ran).
func (s *State) Outlet(id string) OutletState {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.data[id]
	if o == nil {
		return OutletState{}
	}
	return OutletState{LastSlot: o.LastSlot, Runs: slices.Clone(o.Runs)}
}

// write saves the state atomically: a temporary file in the same
// directory, fsync, rename, fsync of the directory. s.mu is held.
func (s *State) write() error {
	b, err := json.MarshalIndent(stateFile{Version: stateVersion, Outlets: s.data}, "", " ")
	if err != nil {
		return fmt.Errorf("serve state: %w", err)
	}
	dir := filepath.Dir(s.path)
	f, err := os.CreateTemp(dir, filepath.Base(s.path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("serve state: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename, nothing to remove
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("serve state: write %s: %w", tmp, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("serve state: sync %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("serve state: %w", err)
	}
	if err := os.Rename(tmp, s.path); err != nil {
		return fmt.Errorf("serve state: %w", err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("serve state: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("serve state: sync %s: %w", dir, err)
	}
	return nil
}
