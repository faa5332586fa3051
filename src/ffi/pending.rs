//! Functions whose behaviour is not built yet: each fails cleanly with `errno = EOPNOTSUPP`.
