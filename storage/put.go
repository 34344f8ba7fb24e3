package storage

import (
	"context"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Put stores the bytes of body as the object name (s3:// only) with one
// PutObject, so the object appears whole or not at all: how a sharded
// run's output part is published once complete.
func (s *Store) Put(ctx context.Context, name string, body io.ReadSeeker) error {
	if KindOf(name) != S3 {
		return &Error{Op: "put", URL: Redact(name), Err: fmt.Errorf("%w: only s3:// objects can be written", errPermanent)}
	}
	return s.retry(ctx, "put", name, 0, func() (bool, error) {
		b, err := s.backend(ctx, name)
		if err != nil {
			return false, err
		}
		sb := b.(*s3Backend)
		bucket, key, err := splitS3(name)
		if err != nil {
			return false, fmt.Errorf("%w: %v", errPermanent, err)
		}
		if _, err := body.Seek(0, io.SeekStart); err != nil {
			return false, fmt.Errorf("%w: %v", errPermanent, err)
		}
		_, err = sb.client.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: &key, Body: body})
		if err != nil {
			return false, sb.classify(err)
		}
		return false, nil
	})
}
