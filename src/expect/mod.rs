//! The expectation object (`struct nf_expect`) and everything done to it.
