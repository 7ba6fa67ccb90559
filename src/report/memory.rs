//! How a render keeps its peak memory down with glibc's allocator (elsewhere
//! these do nothing). The template context (~200 MB at 10,000 hazards) is
//! built on the main thread and the pages (~60 MB) on worker threads, which
//! glibc serves from heaps of their own.

/// Keeps large blocks (a page growing to tens of megabytes) in mappings of
/// their own, grown in place and returned to the system when freed. Left to
/// itself glibc raises this threshold once such a block is freed and then
/// grows pages inside a heap, copying each doubling and leaving the old
/// copies there as holes the process still holds (the PDF writer's short-lived
/// compressor buffers likewise). From 1 MiB, not glibc's own 128 KiB: the
/// writers' buffers of a few hundred kilobytes (an object stream, a page's
/// content), made and freed for every page, are then reused from the heap
/// instead of mapped afresh, each page of them faulted in again (at 10,000
/// hazards, a third of the page faults and ~0.15 s of system time).
pub fn keep_large_blocks_out_of_the_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tuning parameter of glibc's allocator; it takes its own lock.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
    }
}

/// Returns the heap's free pages to the system: what the main thread freed
/// (the analysis, once the context is made) would otherwise stay counted
/// against the process, as the pages are made on other threads, in other heaps.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only hands free, unused pages back to the system; it takes its own locks.
    unsafe {
        libc::malloc_trim(0);
    }
}
