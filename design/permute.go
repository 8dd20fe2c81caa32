package design

// permute returns the image of x in [0, n) under a pseudo-random
// permutation of [0, n) keyed by key: a six-round Feistel network on the
// smallest even number of bits that holds n, walked along its cycle
// until the image falls in [0, n) (cycle walking keeps it a permutation
// of [0, n)). It needs no memory, so a path's stratum is found without
// storing the permutation.
func permute(x, n uint32, key uint64) uint32 {
	bits := 2
	for uint64(1)<<bits < uint64(n) {
		bits++
	}
	if bits%2 == 1 {
		bits++
	}
	half := bits / 2
	mask := uint32(1)<<half - 1
	for {
		l, r := x>>half, x&mask
		for round := uint64(0); round < 6; round++ {
			f := uint32(splitmix(key+round*0x9e3779b97f4a7c15^uint64(r))) & mask
			l, r = r, l^f
		}
		x = l<<half | r
		if x < n {
			return x
		}
	}
}
