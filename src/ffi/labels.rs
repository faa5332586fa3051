//! C API of the label map (`struct nfct_labelmap`).

use std::ffi::CStr;
use std::fs::File;
use std::io;
use std::os::fd::FromRawFd;
use std::os::raw::{c_char, c_int, c_uint};
use std::ptr;

use super::{einval, guard, into_heap, nfct_labelmap, set_errno};
use crate::labels::{self, LabelMap, LabelMapError};

/// # Safety
/// `m` is NULL or a map from `nfct_labelmap_new`, live for `'a`.
/// Opens the file at C path `path` for reading, without copying the path
/// (`File::open` copies one longer than a few hundred bytes to the heap,
/// which must not abort the process when memory runs out).
///
/// # Safety
/// `path` points to a NUL-terminated string.
unsafe fn open(path: *const c_char) -> io::Result<File> {
    // SAFETY: a NUL-terminated path, per the contract.
    let fd = unsafe { libc::open(path, libc::O_RDONLY | libc::O_CLOEXEC) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a descriptor just opened, owned by nobody else.
    Ok(unsafe { File::from_raw_fd(fd) })
}

unsafe fn map<'a>(m: *const nfct_labelmap) -> Option<&'a LabelMap> {
    // SAFETY: forwarded contract.
    unsafe { (m as *const LabelMap).as_ref() }
}

/// `nfct_labels_get_path`: the default label map file,
/// `/etc/xtables/connlabel.conf` (a static string).
#[no_mangle]
pub extern "C" fn nfct_labels_get_path() -> *const c_char {
    guard(ptr::null(), || labels::default_path().as_ptr())
}

/// `nfct_labelmap_new`: reads the label map in `mapfile` (the default file
/// when NULL).
///
/// Returns NULL with the error of `open()` in `errno` when the file cannot be
/// opened, and NULL with `errno = 0` when it holds no valid label line (or
/// cannot be read, like a directory).
#[no_mangle]
pub unsafe extern "C" fn nfct_labelmap_new(mapfile: *const c_char) -> *mut nfct_labelmap {
    guard(ptr::null_mut(), || {
        let loaded = if mapfile.is_null() {
            LabelMap::from_default_file()
        } else {
            // SAFETY: the caller passes a NUL-terminated path.
            unsafe { open(mapfile) }
                .map_err(LabelMapError::Open)
                .and_then(LabelMap::from_open_file)
        };
        match loaded {
            Ok(m) => into_heap(m) as *mut nfct_labelmap,
            Err(e) => {
                set_errno(e.errno());
                ptr::null_mut()
            }
        }
    })
}

/// `nfct_labelmap_destroy`: frees a label map (NULL: `EINVAL`, nothing done).
#[no_mangle]
pub unsafe extern "C" fn nfct_labelmap_destroy(m: *mut nfct_labelmap) {
    guard((), || {
        if m.is_null() {
            return einval(());
        }
        // SAFETY: a map from nfct_labelmap_new; ownership ends here.
        drop(unsafe { Box::from_raw(m as *mut LabelMap) })
    })
}

/// `nfct_labelmap_get_name`: the name of `bit`; `""` for an unnamed bit below
/// the highest named one, NULL past it. NULL map: NULL with `EINVAL`.
///
/// The string lives as long as the map.
#[no_mangle]
pub unsafe extern "C" fn nfct_labelmap_get_name(
    m: *mut nfct_labelmap,
    bit: c_uint,
) -> *const c_char {
    guard(ptr::null(), || {
        // SAFETY: forwarded C contract.
        let Some(m) = (unsafe { map(m) }) else {
            return einval(ptr::null());
        };
        m.name_with_nul(bit)
            .map_or(ptr::null(), |n| n.as_ptr() as *const c_char)
    })
}

/// `nfct_labelmap_get_bit`: the bit named `name`, or -1 when there is no
/// such label or no map (errno untouched, as in the reference). NULL name:
/// -1 with `EINVAL`.
#[no_mangle]
pub unsafe extern "C" fn nfct_labelmap_get_bit(
    m: *mut nfct_labelmap,
    name: *const c_char,
) -> c_int {
    guard(-1, || {
        // SAFETY: forwarded C contract.
        let Some(m) = (unsafe { map(m) }) else {
            return -1;
        };
        if name.is_null() {
            return einval(-1);
        }
        // SAFETY: the caller passes a NUL-terminated name.
        let name = unsafe { CStr::from_ptr(name) };
        m.bit(name.to_bytes()).map_or(-1, |b| b as c_int)
    })
}
