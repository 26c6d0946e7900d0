package discover

import (
	"container/heap"
	"slices"
	"time"
)

// keeper keeps at most max links as they stream in: the newest by
// Published (an undated link counts as the oldest; among links of one date
// the earlier in the document stays), handed back in document order. It
// counts the links it drops. Its memory is that of max links, whatever the
// document's length.
type keeper struct {
	max  int
	kept keptHeap
	seq  int
	cut  int
}

type keptLink struct {
	Link
	seq int
}

// keptHeap is a min-heap whose top is the link to drop first.
type keptHeap []keptLink

func (h keptHeap) Len() int           { return len(h) }
func (h keptHeap) Less(i, j int) bool { return older(h[i], h[j]) }
func (h keptHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *keptHeap) Push(x any)        { *h = append(*h, x.(keptLink)) }
func (h *keptHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// older reports whether a is dropped before b.
func older(a, b keptLink) bool {
	if !a.Published.Equal(b.Published) {
		return a.Published.Before(b.Published)
	}
	return a.seq > b.seq
}

// offer reports whether a link dated t would be kept now, so that the
// work of building a link that would not is skipped; such a link is
// counted as cut.
func (k *keeper) offer(t time.Time) bool {
	if len(k.kept) < k.max || older(k.kept[0], keptLink{Link: Link{Published: t}, seq: k.seq}) {
		return true
	}
	k.seq++
	k.cut++
	return false
}

func (k *keeper) add(l Link) {
	it := keptLink{Link: l, seq: k.seq}
	k.seq++
	if len(k.kept) < k.max {
		heap.Push(&k.kept, it)
		return
	}
	k.cut++
	if older(k.kept[0], it) {
		k.kept[0] = it
		heap.Fix(&k.kept, 0)
	}
}

// links returns the kept links in document order.
func (k *keeper) links() []Link {
	if len(k.kept) == 0 {
		return nil
	}
	ks := slices.Clone(k.kept)
	slices.SortFunc(ks, func(a, b keptLink) int { return a.seq - b.seq })
	out := make([]Link, len(ks))
	for i, kl := range ks {
		out[i] = kl.Link
	}
	return out
}
