//! Test support: a global allocator that records the allocations made by the current thread
//! while a closure runs. A test binary installs it with
//! `#[global_allocator] static ALLOCATOR: CountingAllocator = CountingAllocator;` and asks
//! [`allocations_in`] what a piece of code allocated and how much it held at once.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, counting what guarded code on this thread asks of it.
pub struct CountingAllocator;

thread_local! {
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
    static LARGEST: Cell<usize> = const { Cell::new(0) };
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

/// Records a request of `size` bytes that replaces `freed` bytes (0 for a fresh allocation).
fn record(size: usize, freed: usize) {
    if GUARDED.with(Cell::get) {
        COUNT.with(|n| n.set(n.get() + 1));
        LARGEST.with(|n| n.set(n.get().max(size)));
        change_live(size as isize - freed as isize);
    }
}

fn record_free(size: usize) {
    if GUARDED.with(Cell::get) {
        change_live(-(size as isize));
    }
}

fn change_live(bytes: isize) {
    let live = LIVE.with(|n| {
        n.set(n.get() + bytes);
        n.get()
    });
    PEAK.with(|n| n.set(n.get().max(live)));
}

// SAFETY: every call is forwarded unchanged to the system allocator; the bookkeeping touches
// only const-initialised thread-locals, which never allocate.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size(), 0);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        record_free(layout.size());
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(new_size, layout.size());
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// What guarded code allocated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allocations {
    /// Allocations and reallocations.
    pub count: usize,
    /// The largest single request, in bytes.
    pub largest: usize,
    /// The most bytes held at once: allocated minus freed while guarded, at its highest.
    pub peak: usize,
}

/// Runs `f` and reports the allocations it made on this thread.
///
/// # Panics
/// If the test binary has not installed [`CountingAllocator`] as its global allocator (a probe
/// allocation went uncounted), so a guard cannot silently pass.
pub fn allocations_in<T>(f: impl FnOnce() -> T) -> (T, Allocations) {
    let (_, probe) = guarded(|| std::hint::black_box(Box::new(0u64)));
    assert_eq!(probe.count, 1, "CountingAllocator is not the global allocator of this test");
    guarded(f)
}

fn guarded<T>(f: impl FnOnce() -> T) -> (T, Allocations) {
    COUNT.with(|n| n.set(0));
    LARGEST.with(|n| n.set(0));
    LIVE.with(|n| n.set(0));
    PEAK.with(|n| n.set(0));
    GUARDED.with(|g| g.set(true));
    let result = f();
    GUARDED.with(|g| g.set(false));
    let allocations = Allocations {
        count: COUNT.with(Cell::get),
        largest: LARGEST.with(Cell::get),
        peak: PEAK.with(Cell::get) as usize,
    };
    (result, allocations)
}
