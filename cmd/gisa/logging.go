package main

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/pflag"
)

// logFlags are the global --log-level and --log-format flags; every
// command takes them, before or after its name.
type logFlags struct {
	level, format string
}

// register defines the flags on fs (the root command's persistent flags).
func (f *logFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.level, "log-level", "", "log `level`: debug, info, warn, error (default info for crawl and serve, warn for the others)")
	fs.StringVar(&f.format, "log-format", "text", "log `format`: text (key=value lines) or json (one JSON object a line)")
}

// logger is the logger the flags ask for, writing to w, at level def when
// --log-level is not given. A nil f is the flags' defaults.
func (f *logFlags) logger(w io.Writer, def string) (*slog.Logger, error) {
	level, format := def, "text"
	if f != nil {
		format = f.format
		if f.level != "" {
			level = f.level
		}
	}
	return newLoggerFormat(w, level, format)
}

// newLogger is a text logger at the level.
func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	return newLoggerFormat(w, level, "text")
}

func newLoggerFormat(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}
