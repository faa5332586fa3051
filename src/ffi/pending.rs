//! Functions whose behaviour is not built yet: each fails cleanly with `errno = EOPNOTSUPP`.
//!
//! Every function here has the reference's exact prototype, so that the
//! library exports the whole API and links with every client today. Each one
//! returns the reference's error value (-1 for `int`, NULL for pointers,
//! nothing for `void`) after setting `errno` to `EOPNOTSUPP`. When a function
//! gets its real implementation in its own API group's file, it leaves this
//! one.
//!
//! The definitions are written out one by one (no macro) because cbindgen
//! reads the prototypes of the public header from them.
//!
//! None is left: every function of the API has its implementation.
