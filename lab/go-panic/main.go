// A cache whose map was never made: the first write panics with "assignment to entry in nil
// map" in recordPrice, called from a request handler goroutine.
package main

import (
	"fmt"
	"sync"
)

type priceCache struct {
	mu     sync.Mutex
	prices map[string]int // never initialised: the bug
}

func (c *priceCache) recordPrice(sku string, cents int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.prices[sku] = cents
}

func handle(c *priceCache, sku string, done chan<- struct{}) {
	c.recordPrice(sku, 1299)
	done <- struct{}{}
}

func main() {
	c := &priceCache{}
	done := make(chan struct{})
	go handle(c, "sku-42", done)
	<-done
	fmt.Println("unreachable")
}
