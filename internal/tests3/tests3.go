// Package tests3 runs a real S3 server for tests: versitygw's posix
// gateway on 127.0.0.1 over a temporary folder. Tests skip when versitygw
// is not installed, except under CI=true, where they fail (.ci/run
// installs it).
package tests3

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/warcbox/warcbox/internal/testneed"
)

// Server is a running versitygw.
type Server struct {
	Endpoint string // http://127.0.0.1:PORT
	Access   string
	Secret   string
	Region   string
	Dir      string // the posix root: one folder per bucket
	Client   *s3.Client
}

// Binary finds versitygw on PATH or in $GOPATH/bin (where `go install`
// puts it).
func Binary() (string, error) {
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, _ := os.UserHomeDir()
		gopath = filepath.Join(home, "go")
	}
	p := filepath.Join(gopath, "bin", "versitygw")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("versitygw not on PATH nor in %s: go install github.com/versity/versitygw/cmd/versitygw@v1.8.0", p)
	}
	return p, nil
}

// Start starts versitygw for the test and stops it when the test ends.
// It also points the AWS environment of the test at it (t.Setenv), so that
// code using the standard credential chain and AWS_ENDPOINT_URL finds it;
// the EC2 metadata service is disabled so that no request leaves the
// machine.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		testneed.Missing(t, "tests3: %v", err)
	}
	s := &Server{Access: "WARCBOXTESTKEY", Secret: "warcbox-test-secret-d0n0tl0g", Region: "us-east-1", Dir: t.TempDir()}
	addr, err := freeAddr()
	if err != nil {
		t.Fatalf("tests3: %v", err)
	}
	var log bytes.Buffer
	cmd := exec.Command(bin, "--access", s.Access, "--secret", s.Secret, "--region", s.Region, "--port", addr, "posix", "--nometa", s.Dir)
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatalf("tests3: start versitygw: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("tests3: versitygw did not listen on %s: %s", addr, log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.Endpoint = "http://" + addr
	s.Client = s3.New(s3.Options{
		Region:       s.Region,
		BaseEndpoint: aws.String(s.Endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(s.Access, s.Secret, ""),
	})
	s.SetEnv(t)
	return s
}

// SetEnv points the standard AWS chain of this test at the server, and
// shuts out the user's own AWS files and the metadata service.
func (s *Server) SetEnv(t testing.TB) {
	t.Helper()
	for k, v := range s.Env() {
		t.Setenv(k, v)
	}
}

// Env is the environment a child process (warcbox, a Dask worker) needs
// to reach the server.
func (s *Server) Env() map[string]string {
	return map[string]string{
		"AWS_ACCESS_KEY_ID":           s.Access,
		"AWS_SECRET_ACCESS_KEY":       s.Secret,
		"AWS_SESSION_TOKEN":           "",
		"AWS_REGION":                  s.Region,
		"AWS_ENDPOINT_URL":            s.Endpoint,
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_CONFIG_FILE":             os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		"AWS_PROFILE":                 "",
	}
}

// NoCredentials empties the credential chain for the rest of the test.
func NoCredentials(t testing.TB) {
	t.Helper()
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

// Bucket creates a bucket.
func (s *Server) Bucket(t testing.TB, name string) {
	t.Helper()
	if _, err := s.Client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: &name}); err != nil {
		t.Fatalf("tests3: create bucket %s: %v", name, err)
	}
}

// Put stores data under bucket/key.
func (s *Server) Put(t testing.TB, bucket, key string, data []byte) {
	t.Helper()
	_, err := s.Client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: &bucket, Key: &key, Body: bytes.NewReader(data)})
	if err != nil {
		t.Fatalf("tests3: put s3://%s/%s: %v", bucket, key, err)
	}
}

// PutFile uploads a local file under bucket/key.
func (s *Server) PutFile(t testing.TB, bucket, key, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("tests3: %v", err)
	}
	defer f.Close()
	if _, err := s.Client.PutObject(context.Background(), &s3.PutObjectInput{Bucket: &bucket, Key: &key, Body: f}); err != nil {
		t.Fatalf("tests3: put s3://%s/%s: %v", bucket, key, err)
	}
}

// PutDir uploads every file under dir to bucket/prefix, keeping relative
// paths, and returns the keys.
func (s *Server) PutDir(t testing.TB, bucket, prefix, dir string) []string {
	t.Helper()
	var keys []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		key := strings.TrimPrefix(prefix+"/"+filepath.ToSlash(rel), "/")
		s.PutFile(t, bucket, key, p)
		keys = append(keys, key)
		return nil
	})
	if err != nil {
		t.Fatalf("tests3: %v", err)
	}
	return keys
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
