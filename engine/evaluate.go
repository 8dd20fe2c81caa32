package engine

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/reesim/reesim/scenarios"
	"github.com/reesim/reesim/sim"
)

// FromUniforms writes into dst (len(c.Inputs)) the inputs whose sampled
// inputs' independent uniforms are u, in the order of DefaultDims: fixed
// inputs keep their values, and the uniforms go through the rank
// correlations and the quantile functions as in Sample.
func (s *Sampler) FromUniforms(dst, u []float64) {
	copy(dst, s.fixed)
	for n, j := range s.sampled {
		dst[j] = u[n]
	}
	s.Transform(dst)
}

// MetricRows returns n rows of sim.NumMetrics values backed by one
// array, for Evaluate's out.
func MetricRows(n int) [][]float64 {
	flat := make([]float64, n*sim.NumMetrics)
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = flat[i*sim.NumMetrics : (i+1)*sim.NumMetrics : (i+1)*sim.NumMetrics]
	}
	return rows
}

// Evaluate simulates c on n points given by their sampled inputs'
// uniforms: point(i, u) writes point i's uniforms into u (len(DefaultDims(c))),
// and its headline metrics are written to out[i] (len sim.NumMetrics;
// rows that are shorter are made, MetricRows makes them all at once).
// Points are simulated in blocks of BlockSize on workers goroutines (0:
// one per CPU); point must be safe for concurrent use, and the results do
// not depend on the number of workers. A point whose numbers go wrong
// stops the evaluation with a *PathError whose Path is the point's index.
// progress, when not nil, is called with the number of points done, from
// one goroutine at a time.
func Evaluate(ctx context.Context, c *scenarios.Compiled, n, workers int, point func(i int, u []float64), out [][]float64, progress func(done int)) error {
	if len(out) < n {
		return fmt.Errorf("engine: %d rows for %d points", len(out), n)
	}
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	dims := len(DefaultDims(c))
	var (
		next     atomic.Int64
		done     atomic.Int64
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		cancel()
	}
	for range workers {
		smp, err := NewSampler(c, 0)
		if err != nil {
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := c.Model.NewPath()
			in := make([]float64, len(c.Inputs))
			u := make([]float64, dims)
			for ctx.Err() == nil {
				start := int(next.Add(BlockSize)) - BlockSize
				if start >= n {
					return
				}
				end := min(start+BlockSize, n)
				for i := start; i < end; i++ {
					point(i, u)
					smp.FromUniforms(in, u)
					p.Run(in)
					if what := Check(p); what != "" {
						fail(&PathError{Scenario: c.Scenario.Name, Path: i, What: what})
						return
					}
					if len(out[i]) < sim.NumMetrics {
						out[i] = make([]float64, sim.NumMetrics)
					}
					copy(out[i], p.Metrics[:])
				}
				d := done.Add(int64(end - start))
				if progress != nil {
					mu.Lock()
					progress(int(d))
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if int(done.Load()) != n {
		return errors.New("engine: not every point was evaluated")
	}
	return nil
}
