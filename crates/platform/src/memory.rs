//! The allocator's settings for a long-running server. glibc's malloc raises its mmap
//! threshold each time a large block is freed, so after the first login every argon2
//! hash (19 MiB) is carved from a per-thread arena and stays resident, one copy per
//! blocking thread that ever hashed: 375 MiB of peak RSS under `make bench`. A fixed
//! threshold returns such blocks to the system on free; two arenas keep the rest of the
//! heap from spreading across threads.
//!
//! The workspace's one unsafe code: a C call with no Rust equivalent.
#![allow(unsafe_code)]

pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; called before the server's
    // threads start.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}
