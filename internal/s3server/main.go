// Command s3server is an S3-protocol server for CI: gofakes3 in memory, in
// a process of its own, so that the storage tests meant for a real
// endpoint (GISA_TEST_S3_ENDPOINT) run over the network against something
// that is not the test process. .ci/run starts it; it is not part of gisa.
//
//	go run ./internal/s3server -addr 127.0.0.1:0 -bucket gisa-ci -ready FILE
//
// It writes its URL to the -ready file once it listens.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen `address`")
	bucket := flag.String("bucket", "gisa-ci", "bucket to create")
	ready := flag.String("ready", "", "write the server's URL to this `file` once listening")
	flag.Parse()
	backend := s3mem.New()
	if err := backend.CreateBucket(*bucket); err != nil {
		fmt.Fprintf(os.Stderr, "s3server: create bucket %s: %v\n", *bucket, err)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "s3server: %v\n", err)
		os.Exit(1)
	}
	url := "http://" + ln.Addr().String()
	if *ready != "" {
		if err := os.WriteFile(*ready, []byte(url+"\n"), 0o644); err != nil {
			fmt.Fprintf(os.Stderr, "s3server: %v\n", err)
			os.Exit(1)
		}
	}
	srv := &http.Server{Handler: gofakes3.New(backend).Server(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(os.Stderr, "s3server: %s, bucket %s\n", url, *bucket)
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintf(os.Stderr, "s3server: %v\n", err)
		os.Exit(1)
	}
}
