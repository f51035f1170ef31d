package growth

import (
	"testing"
	"time"
)

func TestHistogram(t *testing.T) {
	var h histogram
	for d := time.Duration(1); d <= 100000; d++ {
		h.add(d)
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 50000}, {0.99, 99000}, {0.001, 100}} {
		got := h.quantile(c.q)
		if got > c.want || float64(got) < float64(c.want)*0.93 {
			t.Errorf("quantile(%v) = %v, want within 7%% below %v", c.q, got, c.want)
		}
	}
	if h.max != 100000 || h.n != 100000 {
		t.Errorf("max %v, n %d", h.max, h.n)
	}
	for i := 1; i < 16*40; i++ {
		if i == 16 {
			i = 64 // indexes 16 to 63 are unused
		}
		if b := bucket(lower(i)); b != i {
			t.Fatalf("bucket(lower(%d)) = %d", i, b)
		}
	}
}
