package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
)

type s3Backend struct {
	client     *s3.Client
	httpClient config.HTTPClient
	// anonymous is set when the credential chain found nothing: requests
	// go unsigned (public buckets), and a refusal says why.
	anonymous bool
}

func newS3Backend(ctx context.Context, opt Options) (*s3Backend, error) {
	var hc config.HTTPClient = opt.HTTPClient
	if !opt.customHTTP {
		// The SDK's own client, so that AWS_CA_BUNDLE can add its roots.
		hc = awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
			tr.MaxIdleConnsPerHost = 16
			tr.DisableCompression = true
		})
	}
	opts := []func(*config.LoadOptions) error{
		config.WithHTTPClient(hc),
		// Our own retries resume streams from where they broke; the SDK's
		// retry the first request of each.
		config.WithRetryMaxAttempts(max(opt.Retries/2, 1)),
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("%w: load AWS configuration: %v", errPermanent, err)
	}
	if cfg.Region == "" {
		cfg.Region = opt.S3Region
	}
	b := &s3Backend{httpClient: hc}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		b.anonymous = true
		cfg.Credentials = aws.AnonymousCredentials{}
	}
	endpoint := opt.S3Endpoint
	pathStyle := endpoint != "" || cfg.BaseEndpoint != nil || os.Getenv("AWS_ENDPOINT_URL_S3") != ""
	b.client = s3.NewFromConfig(cfg, func(o *s3.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
		o.UsePathStyle = pathStyle
		// Ranged reads carry no whole-object checksum to check; without
		// this the SDK logs a line per request on its own.
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		o.Logger = logging.Nop{}
	})
	return b, nil
}

// classify turns an SDK error into one of ours; the SDK's own text never
// holds the secret key, but the request URL may carry a presigned query.
func (b *s3Backend) classify(err error) error {
	var re *awshttp.ResponseError
	code := 0
	if errors.As(err, &re) {
		code = re.HTTPStatusCode()
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		msg := api.ErrorCode()
		if m := api.ErrorMessage(); m != "" {
			msg += ": " + m
		}
		var cause error
		switch api.ErrorCode() {
		case "NoSuchKey", "NotFound":
			cause = ErrNotFound
		case "NoSuchBucket":
			cause = ErrNoBucket
		case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "AuthorizationHeaderMalformed":
			cause = ErrNoCreds
		case "AccessDenied", "Forbidden":
			cause = ErrForbidden
		case "InvalidRange":
			cause = ErrShort
		default:
			cause = statusCause(code)
		}
		if b.anonymous && (cause == ErrForbidden || code == 401 || code == 403) {
			cause = ErrNoCreds
			msg += "; no credentials were found in the standard chain, so the request went unsigned"
		}
		if code == 0 {
			code = 400
		}
		return &statusError{code: code, msg: msg, cause: cause}
	}
	if code != 0 {
		return &statusError{code: code, msg: strings.TrimSpace(fmt.Sprint(code)), cause: statusCause(code)}
	}
	return err
}

func (b *s3Backend) stat(ctx context.Context, name string) (Info, error) {
	bucket, key, err := splitS3(name)
	if err != nil {
		return Info{}, fmt.Errorf("%w: %v", errPermanent, err)
	}
	out, err := b.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &bucket, Key: &key})
	if err != nil {
		err = b.classify(err)
		// A HEAD answer has no body to say why it was refused: a one-byte
		// GET gets the store's reason (bad signature, unknown key, policy).
		var se *statusError
		if errors.As(err, &se) && se.code == 403 {
			body, _, gerr := b.get(ctx, name, 0, 1)
			if gerr != nil {
				return Info{}, gerr
			}
			body.Close()
		}
		// Nor to tell a missing bucket from a missing key.
		if errors.Is(err, ErrNotFound) {
			if _, berr := b.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &bucket}); berr != nil {
				if e := b.classify(berr); errors.Is(e, ErrNotFound) || errors.Is(e, ErrNoBucket) {
					return Info{}, &statusError{code: 404, msg: "NoSuchBucket " + bucket, cause: ErrNoBucket}
				}
			}
		}
		return Info{}, err
	}
	info := Info{Name: name, Size: aws.ToInt64(out.ContentLength)}
	if out.LastModified != nil {
		info.ModTime = *out.LastModified
	}
	return info, nil
}

func (b *s3Backend) get(ctx context.Context, name string, off, end int64) (io.ReadCloser, int64, error) {
	bucket, key, err := splitS3(name)
	if err != nil {
		return nil, -1, fmt.Errorf("%w: %v", errPermanent, err)
	}
	in := &s3.GetObjectInput{Bucket: &bucket, Key: &key}
	if off > 0 || end >= 0 {
		r := fmt.Sprintf("bytes=%d-", off)
		if end >= 0 {
			r += fmt.Sprint(end - 1)
		}
		in.Range = &r
	}
	out, err := b.client.GetObject(ctx, in)
	if err != nil {
		err = b.classify(err)
		if errors.Is(err, ErrShort) {
			// A Range from the end of the object: nothing more to read.
			if info, serr := b.stat(ctx, name); serr == nil && off >= info.Size {
				return io.NopCloser(strings.NewReader("")), info.Size, nil
			}
		}
		return nil, -1, err
	}
	total := int64(-1)
	if out.ContentRange != nil {
		start, t, ok := parseContentRange(*out.ContentRange)
		if !ok || start != off {
			out.Body.Close()
			return nil, -1, fmt.Errorf("%w: Content-Range %q for a request from %d", errPermanent, *out.ContentRange, off)
		}
		total = t
	} else if out.ContentLength != nil {
		if off > 0 {
			// Range ignored: not S3 as we know it.
			out.Body.Close()
			return nil, -1, fmt.Errorf("%w: the store ignored the Range header", errPermanent)
		}
		total = *out.ContentLength
	}
	return out.Body, total, nil
}

func (b *s3Backend) tail(ctx context.Context, name string, n int64) (io.ReadCloser, int64, int64, error) {
	bucket, key, err := splitS3(name)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("%w: %v", errPermanent, err)
	}
	r := fmt.Sprintf("bytes=-%d", n)
	out, err := b.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: &key, Range: &r})
	if err != nil {
		return nil, 0, 0, b.classify(err)
	}
	if out.ContentRange != nil {
		start, total, ok := parseContentRange(*out.ContentRange)
		if ok && total >= 0 {
			return out.Body, start, total, nil
		}
	}
	size := aws.ToInt64(out.ContentLength)
	return out.Body, 0, size, nil
}

func (b *s3Backend) list(ctx context.Context, name string) ([]Info, error) {
	bucket, prefix, err := splitS3(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errPermanent, err)
	}
	var out []Info
	p := s3.NewListObjectsV2Paginator(b.client, &s3.ListObjectsV2Input{Bucket: &bucket, Prefix: &prefix})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, b.classify(err)
		}
		for _, o := range page.Contents {
			k := aws.ToString(o.Key)
			if strings.HasSuffix(k, "/") {
				continue // a folder marker
			}
			info := Info{Name: "s3://" + bucket + "/" + k, Size: aws.ToInt64(o.Size)}
			if o.LastModified != nil {
				info.ModTime = *o.LastModified
			}
			out = append(out, info)
		}
	}
	return out, nil
}
