// Package boltfile holds what gisa's bbolt files (the crawl state and the
// archive catalog) share: the format marker that tells a gisa file of a
// given kind from an empty file or another program's.
package boltfile

import (
	"bytes"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

var errStop = errors.New("stop")

// Init checks, or on an empty file creates, the format marker in tx: bucket
// meta holding key = format, beside buckets. It returns created for a new
// file; foreign, a reason, when the file is not a gisa file of this format
// (other buckets and no meta bucket, another format, a bucket missing);
// err for a bbolt error.
func Init(tx *bolt.Tx, meta, key, format []byte, buckets [][]byte) (created bool, foreign string, err error) {
	m := tx.Bucket(meta)
	if m == nil {
		var other []byte
		_ = tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			other = name
			return errStop
		})
		if other != nil {
			return false, fmt.Sprintf("bucket %q and no %s bucket", other, meta), nil
		}
		if m, err = tx.CreateBucket(meta); err != nil {
			return false, "", err
		}
		if err := m.Put(key, format); err != nil {
			return false, "", err
		}
		for _, name := range buckets {
			if _, err := tx.CreateBucket(name); err != nil {
				return false, "", err
			}
		}
		return true, "", nil
	}
	if v := m.Get(key); !bytes.Equal(v, format) {
		return false, fmt.Sprintf("format %q, this program reads %q", v, format), nil
	}
	for _, name := range buckets {
		if tx.Bucket(name) == nil {
			return false, fmt.Sprintf("no %s bucket", name), nil
		}
	}
	return false, "", nil
}
