//! C API of the label map.
