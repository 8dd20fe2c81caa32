package shard

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3 is a store under a prefix of an S3-compatible bucket (AWS S3, MinIO,
// Ceph, Google Cloud Storage's XML API, ...), so that the tasks of a
// Kubernetes job need no shared file system.
//
// The endpoint is that of AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (such
// as http://minio.storage:9000; default https://s3.amazonaws.com), the
// region AWS_REGION or AWS_DEFAULT_REGION (default: asked of the server).
// Credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and
// AWS_SESSION_TOKEN), else MINIO_ROOT_USER and MINIO_ROOT_PASSWORD, else
// the AWS credentials file, else the instance's IAM role.
type S3 struct {
	client *minio.Client
	bucket string
	prefix string // "" or ending in "/"
}

// openS3 returns the store at an s3://BUCKET/PREFIX address.
func openS3(ctx context.Context, location string) (*S3, error) {
	rest := strings.TrimPrefix(location, "s3://")
	bucket, prefix, _ := strings.Cut(rest, "/")
	if bucket == "" {
		return nil, fmt.Errorf("%s: expected s3://BUCKET/PREFIX", location)
	}
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	endpoint := os.Getenv("AWS_ENDPOINT_URL_S3")
	if endpoint == "" {
		endpoint = os.Getenv("AWS_ENDPOINT_URL")
	}
	secure := true
	host := "s3.amazonaws.com"
	if endpoint != "" {
		u, err := url.Parse(endpoint)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, fmt.Errorf("the S3 endpoint %q (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL) is not an http:// or https:// address", endpoint)
		}
		host, secure = u.Host, u.Scheme == "https"
	}
	region := os.Getenv("AWS_REGION")
	if region == "" {
		region = os.Getenv("AWS_DEFAULT_REGION")
	}
	creds := credentials.NewChainCredentials([]credentials.Provider{
		&credentials.EnvAWS{},
		&credentials.EnvMinio{},
		&credentials.FileAWSCredentials{},
		&credentials.IAM{Client: &http.Client{Transport: http.DefaultTransport}},
	})
	client, err := minio.New(host, &minio.Options{Creds: creds, Secure: secure, Region: region})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", location, err)
	}
	return &S3{client: client, bucket: bucket, prefix: prefix}, nil
}

// Put writes the file to a temporary local file, then uploads it: an
// object appears whole when its upload completes, or not at all.
func (s *S3) Put(ctx context.Context, name string, write func(w io.Writer) error) error {
	tmp, err := os.CreateTemp("", ".reesim-"+name+".tmp-")
	if err != nil {
		return fmt.Errorf("cannot write the shard file before uploading it: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	bw := bufio.NewWriterSize(tmp, 1<<20)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	_, err = s.client.FPutObject(ctx, s.bucket, s.prefix+name, tmp.Name(), minio.PutObjectOptions{ContentType: "application/octet-stream"})
	if err != nil {
		return fmt.Errorf("uploading %s: %w", s.Where(name), err)
	}
	return nil
}

// List returns the *.shard objects directly under the prefix.
func (s *S3) List(ctx context.Context) ([]string, error) {
	var names []string
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix}) {
		if obj.Err != nil {
			return nil, fmt.Errorf("listing %s: %w", s.Where(""), obj.Err)
		}
		name := strings.TrimPrefix(obj.Key, s.prefix)
		if strings.HasSuffix(name, Ext) && !strings.Contains(name, "/") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names, nil
}

// Open opens the object for reading.
func (s *S3) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	obj, err := s.client.GetObject(ctx, s.bucket, s.prefix+name, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", s.Where(name), err)
	}
	return obj, nil
}

// Exists reports whether the object is there.
func (s *S3) Exists(ctx context.Context, name string) (bool, error) {
	_, err := s.client.StatObject(ctx, s.bucket, s.prefix+name, minio.StatObjectOptions{})
	if err == nil {
		return true, nil
	}
	if resp := minio.ToErrorResponse(err); resp.Code == "NoSuchKey" || resp.StatusCode == http.StatusNotFound {
		return false, nil
	}
	return false, fmt.Errorf("looking for %s: %w", s.Where(name), err)
}

// Where returns the object's s3:// address.
func (s *S3) Where(name string) string { return "s3://" + s.bucket + "/" + s.prefix + name }

// PutTree uploads every file under the local folder dir to the objects
// sub/PATH under the store's prefix, manifest.json files last: a reader
// that finds sub/manifest.json finds every other file. It is how reesim
// merge puts a results folder in a bucket.
func (s *S3) PutTree(ctx context.Context, dir, sub string) error {
	var files, last []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if filepath.Base(rel) == "manifest.json" {
			last = append(last, rel)
		} else {
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.Sort(last)
	slices.Reverse(last) // a study's own manifest, if any, after its variants'
	for _, rel := range append(files, last...) {
		key := s.prefix + path.Join(sub, filepath.ToSlash(rel))
		if _, err := s.client.FPutObject(ctx, s.bucket, key, filepath.Join(dir, rel), minio.PutObjectOptions{}); err != nil {
			return fmt.Errorf("uploading %s: %w", "s3://"+s.bucket+"/"+key, err)
		}
	}
	return nil
}
