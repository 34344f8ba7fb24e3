package storage

import (
	"container/list"
	"sync"
)

type blockKey struct {
	name  string
	index int64
}

type blockEntry struct {
	key  blockKey
	data []byte
}

// blockCache keeps the most recently used blocks of every object opened
// through one Store, within a byte bound, so that replaying a page whose
// records sit close together costs one request, and memory stays flat
// whatever the collection's size.
type blockCache struct {
	mu        sync.Mutex
	blockSize int
	max       int // blocks
	ll        *list.List
	m         map[blockKey]*list.Element
}

func newBlockCache(bytes, blockSize int) *blockCache {
	return &blockCache{blockSize: blockSize, max: max(bytes/blockSize, 1), ll: list.New(), m: map[blockKey]*list.Element{}}
}

func (c *blockCache) get(k blockKey) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok {
		return nil, false
	}
	c.ll.MoveToFront(e)
	return e.Value.(*blockEntry).data, true
}

func (c *blockCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ll.Init()
	clear(c.m)
}

func (c *blockCache) put(k blockKey, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[k]; ok {
		e.Value.(*blockEntry).data = data
		c.ll.MoveToFront(e)
		return
	}
	c.m[k] = c.ll.PushFront(&blockEntry{key: k, data: data})
	for c.ll.Len() > c.max {
		e := c.ll.Back()
		c.ll.Remove(e)
		delete(c.m, e.Value.(*blockEntry).key)
	}
}

// drop removes every cached block of one object.
func (c *blockCache) drop(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.m {
		if k.name == name {
			c.ll.Remove(e)
			delete(c.m, k)
		}
	}
}
