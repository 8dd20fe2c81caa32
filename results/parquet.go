package results

import (
	"errors"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"

	"github.com/reesim/reesim/internal/inputfile"
	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/sim"
)

// ParquetPathsWriter streams paths.parquet: the columns of paths.csv (the
// path number as a 64-bit integer, every sampled input and every headline
// metric as doubles), for tables too large for spreadsheets. pandas, R's
// arrow and DuckDB read it by column name; the columns are stored in the
// order of their names.
type ParquetPathsWriter struct {
	w       *parquet.GenericWriter[any]
	columns []int // indices of the sampled inputs
	// index[k] is the schema's column of path (k = 0), of the k-th
	// sampled input, then of each metric.
	index []int
	rows  []parquet.Row
	err   error
}

// parquetBatch is the number of rows buffered before they are handed to
// the Parquet writer.
const parquetBatch = 1024

// NewParquetPathsWriter starts paths.parquet for c on w.
func NewParquetPathsWriter(w io.Writer, c *scenarios.Compiled) *ParquetPathsWriter {
	pw := &ParquetPathsWriter{}
	names := []string{"path"}
	for i, in := range c.Inputs {
		if in.Sampled() {
			pw.columns = append(pw.columns, i)
			names = append(names, in.Name)
		}
	}
	for _, info := range sim.MetricInfo {
		names = append(names, info.Name)
	}
	group := parquet.Group{}
	for i, n := range names {
		if _, dup := group[n]; dup {
			pw.err = fmt.Errorf("paths.parquet: two columns named %q", n)
			return pw
		}
		if i == 0 {
			group[n] = parquet.Leaf(parquet.Int64Type)
		} else {
			group[n] = parquet.Leaf(parquet.DoubleType)
		}
	}
	schema := parquet.NewSchema("paths", group)
	at := map[string]int{}
	for i, f := range schema.Fields() {
		at[f.Name()] = i
	}
	for _, n := range names {
		pw.index = append(pw.index, at[n])
	}
	pw.w = parquet.NewGenericWriter[any](w, schema, parquet.Compression(&parquet.Zstd))
	return pw
}

// Row writes one path's row.
func (pw *ParquetPathsWriter) Row(path int, inputs, metrics []float64) error {
	if pw.err != nil {
		return pw.err
	}
	row := make(parquet.Row, len(pw.index))
	row[pw.index[0]] = parquet.Int64Value(int64(path)).Level(0, 0, pw.index[0])
	k := 1
	for _, i := range pw.columns {
		row[pw.index[k]] = parquet.DoubleValue(inputs[i]).Level(0, 0, pw.index[k])
		k++
	}
	for _, v := range metrics {
		row[pw.index[k]] = parquet.DoubleValue(v).Level(0, 0, pw.index[k])
		k++
	}
	pw.rows = append(pw.rows, row)
	if len(pw.rows) >= parquetBatch {
		pw.err = pw.writeRows()
	}
	return pw.err
}

func (pw *ParquetPathsWriter) writeRows() error {
	_, err := pw.w.WriteRows(pw.rows)
	pw.rows = pw.rows[:0]
	return err
}

// Flush writes the rows still buffered and the file's footer; no row may
// follow. It returns the first error met.
func (pw *ParquetPathsWriter) Flush() error {
	if pw.err != nil {
		return pw.err
	}
	if len(pw.rows) > 0 {
		if pw.err = pw.writeRows(); pw.err != nil {
			return pw.err
		}
	}
	pw.err = pw.w.Close()
	if pw.err == nil {
		pw.err = errors.New("paths.parquet is closed")
		return nil
	}
	return pw.err
}

// ReadPathsParquet reads the first max rows of a paths.parquet file and
// returns its column names, in the file's order, and each column's
// values (the path number as a float). Only a regular file is read.
func ReadPathsParquet(name string, max int) ([]string, [][]float64, error) {
	f, err := inputfile.Open(name)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	fields := pf.Schema().Fields()
	names := make([]string, len(fields))
	for i, fl := range fields {
		names[i] = fl.Name()
	}
	cols := make([][]float64, len(fields))
	r := parquet.NewReader(pf)
	defer r.Close()
	buf := make([]parquet.Row, 256)
	n := 0
	for n < max {
		k, err := r.ReadRows(buf[:min(len(buf), max-n)])
		for _, row := range buf[:k] {
			for _, v := range row {
				c := v.Column()
				switch v.Kind() {
				case parquet.Int64:
					cols[c] = append(cols[c], float64(v.Int64()))
				default:
					cols[c] = append(cols[c], v.Double())
				}
			}
		}
		n += k
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		if k == 0 {
			break
		}
	}
	return names, cols, nil
}
