//! C API of `struct nf_expect`.
