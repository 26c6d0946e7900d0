package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
)

// logFlags are the --log-level and --log-format flags of the commands
// that log.
type logFlags struct {
	level, format *string
}

func addLogFlags(fs *flag.FlagSet, level string) *logFlags {
	return &logFlags{
		level:  fs.String("log-level", level, "log `level`: debug, info, warn, error"),
		format: fs.String("log-format", "text", "log `format`: text (key=value lines) or json (one JSON object a line)"),
	}
}

// logger is the logger the flags ask for, writing to w.
func (f *logFlags) logger(w io.Writer) (*slog.Logger, error) {
	return newLoggerFormat(w, *f.level, *f.format)
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
