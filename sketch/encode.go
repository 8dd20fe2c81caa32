package sketch

import (
	"encoding/binary"
	"fmt"
	"math"
)

// The binary form of a sketch holds its whole state, so that a sketch read
// back answers every query as the one written, and merges as it would:
// sketches made on other machines (the shards of a run) are merged as if
// they had been made in one process.
//
// A Sketch is written as
//
//	version byte (1)
//	alpha        8 bytes, IEEE 754, little-endian
//	state
//
// and a Set as
//
//	version byte (1)
//	alpha        8 bytes, IEEE 754, little-endian
//	n            uvarint, the number of sketches
//	state        n times
//
// where a state is
//
//	zero, nan, count  uvarints
//	min, max          8 bytes each, IEEE 754, little-endian
//	positive store, negative store
//
// and a store is the number m of counts from its lowest to its highest
// non-zero bucket (uvarint), then, when m > 0, the lowest bucket's index
// (varint) and the m counts (uvarints).
const encodingVersion = 1

// AppendBinary appends the binary form of s to b (encoding.BinaryAppender).
func (s *Sketch) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, encodingVersion)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(s.alpha))
	return s.appendState(b), nil
}

// MarshalBinary returns the binary form of s (encoding.BinaryMarshaler).
func (s *Sketch) MarshalBinary() ([]byte, error) { return s.AppendBinary(nil) }

// UnmarshalBinary sets s to the sketch whose binary form is data
// (encoding.BinaryUnmarshaler). It returns an error, and leaves s as it
// was, when data is not the whole binary form of a sketch.
func (s *Sketch) UnmarshalBinary(data []byte) error {
	d := decoder{b: data}
	alpha := d.header()
	var t Sketch
	if d.err == nil {
		t.init(alpha)
		d.state(&t)
	}
	if err := d.end(); err != nil {
		return err
	}
	*s = t
	return nil
}

// AppendBinary appends the binary form of set to b
// (encoding.BinaryAppender).
func (set *Set) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, encodingVersion)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(set.alpha))
	b = binary.AppendUvarint(b, uint64(len(set.sketches)))
	for i := range set.sketches {
		b = set.sketches[i].appendState(b)
	}
	return b, nil
}

// MarshalBinary returns the binary form of set (encoding.BinaryMarshaler).
func (set *Set) MarshalBinary() ([]byte, error) { return set.AppendBinary(nil) }

// UnmarshalBinary sets set to the set whose binary form is data
// (encoding.BinaryUnmarshaler). It returns an error, and leaves set as it
// was, when data is not the whole binary form of a set.
func (set *Set) UnmarshalBinary(data []byte) error {
	d := decoder{b: data}
	alpha := d.header()
	n := d.uvarint()
	// Each sketch takes at least 19 bytes: a bound on n before allocating.
	if d.err == nil && n > uint64(len(d.b))/19 {
		d.fail("%d sketches cannot fit in %d bytes", n, len(d.b))
	}
	if d.err != nil {
		return d.end()
	}
	t := NewSet(alpha, int(n))
	for i := range t.sketches {
		d.state(&t.sketches[i])
	}
	if err := d.end(); err != nil {
		return err
	}
	*set = *t
	return nil
}

// appendState appends the state of s, without its alpha.
func (s *Sketch) appendState(b []byte) []byte {
	b = binary.AppendUvarint(b, s.zero)
	b = binary.AppendUvarint(b, s.nan)
	b = binary.AppendUvarint(b, s.count)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(s.min))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(s.max))
	for _, st := range []*store{&s.pos, &s.neg} {
		lo, hi, ok := st.span()
		if !ok {
			b = binary.AppendUvarint(b, 0)
			continue
		}
		b = binary.AppendUvarint(b, uint64(hi-lo+1))
		b = binary.AppendVarint(b, int64(lo))
		for _, c := range st.counts[lo-st.offset : hi-st.offset+1] {
			b = binary.AppendUvarint(b, uint64(c))
		}
	}
	return b
}

// decoder reads a binary form, keeping the first error.
type decoder struct {
	b   []byte
	off int // bytes read, for messages
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("sketch: byte %d: %s", d.off, fmt.Sprintf(format, args...))
	}
}

// header reads the version and alpha.
func (d *decoder) header() float64 {
	if len(d.b) < 9 {
		d.fail("%d bytes are too few for a sketch", len(d.b))
		return 0
	}
	if v := d.b[0]; v != encodingVersion {
		d.fail("encoding version %d, want %d", v, encodingVersion)
		return 0
	}
	alpha := math.Float64frombits(binary.LittleEndian.Uint64(d.b[1:]))
	d.b, d.off = d.b[9:], d.off+9
	if !(alpha > 0 && alpha < 1) {
		d.fail("alpha %v is not in (0, 1)", alpha)
	}
	return alpha
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("a number is cut short or too long")
		return 0
	}
	d.b, d.off = d.b[n:], d.off+n
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("a number is cut short or too long")
		return 0
	}
	d.b, d.off = d.b[n:], d.off+n
	return v
}

func (d *decoder) float() float64 {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 8 {
		d.fail("a number is cut short")
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b, d.off = d.b[8:], d.off+8
	return v
}

// state reads a sketch's state into s, made by init with its alpha, and
// checks that it is one that adding values could have made.
func (d *decoder) state(s *Sketch) {
	s.zero, s.nan, s.count = d.uvarint(), d.uvarint(), d.uvarint()
	s.min, s.max = d.float(), d.float()
	total := s.zero
	for _, st := range []*store{&s.pos, &s.neg} {
		m := d.uvarint()
		if m == 0 {
			continue
		}
		lo := d.varint()
		if d.err == nil && (lo < int64(s.minIndex) || lo > int64(s.maxIndex) || m > uint64(s.maxIndex)-uint64(lo)+1) {
			d.fail("buckets %d to %d+%d are outside the sketch's range %d to %d", lo, lo, m-1, s.minIndex, s.maxIndex)
		}
		if d.err == nil && m > uint64(len(d.b)) {
			d.fail("%d bucket counts cannot fit in %d bytes", m, len(d.b))
		}
		if d.err != nil {
			return
		}
		st.offset = int(lo)
		st.counts = make([]uint32, m)
		for j := range st.counts {
			c := d.uvarint()
			if c > math.MaxUint32 {
				d.fail("a bucket count %d is above 2^32-1", c)
			}
			st.counts[j] = uint32(c)
			total += c
		}
		if d.err == nil && (st.counts[0] == 0 || st.counts[m-1] == 0) {
			d.fail("a store begins or ends with an empty bucket")
		}
	}
	switch {
	case d.err != nil:
	case total != s.count:
		d.fail("the bucket counts add up to %d, but the count is %d", total, s.count)
	case s.count == 0 && !(math.IsInf(s.min, 1) && math.IsInf(s.max, -1)):
		d.fail("an empty sketch has a minimum %v and maximum %v", s.min, s.max)
	case s.count > 0 && !(s.min <= s.max):
		d.fail("the minimum %v is above the maximum %v", s.min, s.max)
	}
}

// end returns the first error, or one if bytes are left over.
func (d *decoder) end() error {
	if d.err == nil && len(d.b) > 0 {
		d.fail("%d bytes left over after the sketch", len(d.b))
	}
	return d.err
}
