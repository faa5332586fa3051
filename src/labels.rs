//! Connection label names: the label map file and name <-> bit lookups.
