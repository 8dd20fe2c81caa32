package main

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeS3 is the part of the S3 API that shard files and merged results
// use (put, get, head, list), in memory, for tests on the loopback.
type fakeS3 struct {
	mu      sync.Mutex
	objects map[string][]byte // "bucket/key"
}

func (f *fakeS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := strings.TrimPrefix(r.URL.Path, "/")
	bucket, key, _ := strings.Cut(p, "/")
	switch {
	case r.Method == http.MethodPut && key != "":
		b, _ := io.ReadAll(r.Body)
		if strings.HasPrefix(r.Header.Get("X-Amz-Content-Sha256"), "STREAMING-") {
			b = unchunk(b)
		}
		f.objects[bucket+"/"+key] = b
		w.Header().Set("ETag", `"0"`)
	case (r.Method == http.MethodGet || r.Method == http.MethodHead) && key != "":
		b, ok := f.objects[bucket+"/"+key]
		if !ok {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusNotFound)
			if r.Method == http.MethodGet {
				fmt.Fprintf(w, "<Error><Code>NoSuchKey</Code><Message>no such key</Message><Key>%s</Key></Error>", key)
			}
			return
		}
		w.Header().Set("ETag", `"0"`)
		w.Header().Set("Last-Modified", time.Unix(0, 0).UTC().Format(http.TimeFormat))
		w.Header().Set("Content-Type", "application/octet-stream")
		http.ServeContent(w, r, key, time.Unix(0, 0), strings.NewReader(string(b)))
	case r.Method == http.MethodGet && r.URL.Query().Get("list-type") == "2":
		prefix := r.URL.Query().Get("prefix")
		type content struct {
			Key          string
			Size         int
			ETag         string
			LastModified string
		}
		res := struct {
			XMLName     xml.Name `xml:"ListBucketResult"`
			Name        string
			Prefix      string
			KeyCount    int
			MaxKeys     int
			IsTruncated bool
			Contents    []content
		}{Name: bucket, Prefix: prefix, MaxKeys: 1000}
		var keys []string
		for k := range f.objects {
			if b, k, _ := strings.Cut(k, "/"); b == bucket && strings.HasPrefix(k, prefix) {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			res.Contents = append(res.Contents, content{Key: k, Size: len(f.objects[bucket+"/"+k]), ETag: `"0"`, LastModified: "2026-01-01T00:00:00.000Z"})
		}
		res.KeyCount = len(keys)
		w.Header().Set("Content-Type", "application/xml")
		xml.NewEncoder(w).Encode(res)
	default:
		http.Error(w, "not in the fake", http.StatusNotImplemented)
	}
}

// unchunk decodes a body sent with aws-chunked encoding: chunks of
// "HEXSIZE[;chunk-signature=...]\r\nDATA\r\n", ending with a chunk of 0.
func unchunk(b []byte) []byte {
	var out []byte
	for {
		line, rest, ok := strings.Cut(string(b), "\r\n")
		if !ok {
			return out
		}
		size, _, _ := strings.Cut(line, ";")
		var n int
		fmt.Sscanf(size, "%x", &n)
		if n == 0 || len(rest) < n {
			return out
		}
		out = append(out, rest[:n]...)
		b = []byte(strings.TrimPrefix(rest[n:], "\r\n"))
	}
}

// Shards written to an S3-compatible bucket and merged from it, into the
// bucket, give the same files as shards in a folder.
func TestShardsInS3(t *testing.T) {
	fake := &fakeS3{objects: map[string][]byte{}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	t.Setenv("AWS_ENDPOINT_URL", srv.URL)
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	local := t.TempDir()
	for i := 0; i < 2; i++ {
		for _, out := range []string{"s3://runs/small/shards", local} {
			code, stdout, stderr := runReesim("run", smallScenario, "--paths", "200", "--seed", "2", "--out", out, "--shard", fmt.Sprintf("%d/2", i))
			if code != 0 {
				t.Fatalf("shard %d into %s: exit %d: %s%s", i, out, code, stdout, stderr)
			}
		}
	}
	if _, ok := fake.objects["runs/small/shards/small-1-of-2.shard"]; !ok {
		t.Fatalf("no shard object in the bucket: %v", slices.Collect(func(yield func(string) bool) {
			for k := range fake.objects {
				if !yield(k) {
					return
				}
			}
		}))
	}
	out := t.TempDir()
	if code, stdout, stderr := runReesim("merge", local, "--out", out, "--charts=false"); code != 0 {
		t.Fatalf("merge of local shards: exit %d: %s%s", code, stdout, stderr)
	}
	code, stdout, stderr := runReesim("merge", "s3://runs/small/shards", "--out", "s3://runs/small/results", "--charts=false")
	if code != 0 || !strings.Contains(stdout, "uploaded to s3://runs/small/results/small/") {
		t.Fatalf("merge in the bucket: exit %d: %s%s", code, stdout, stderr)
	}
	want := snapshot(t, filepath.Join(out, "small"))
	for name, text := range want {
		got, ok := fake.objects["runs/small/results/small/"+filepath.ToSlash(name)]
		if !ok {
			t.Errorf("%s was not uploaded", name)
			continue
		}
		if name != "manifest.json" && string(got) != text {
			t.Errorf("%s in the bucket differs from the local merge's", name)
		}
	}
	if code, _, stderr := runReesim("merge", "s3://runs/small/shards", "--out", "s3://runs/small/results", "--charts=false"); code != 1 || !strings.Contains(stderr, "already exists: use --force") {
		t.Errorf("merge over results in the bucket: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runReesim("merge", "s3://runs/nothing", "--out", out, "--charts=false"); code != 3 || !strings.Contains(stderr, "holds no shard files") {
		t.Errorf("merge of an empty prefix: exit %d: %s", code, stderr)
	}
}
