//! Store: the only code that touches sled.
