//! Fuzzes the `study-guide` layout's parser: no panic, errors inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| deckc_fuzz::check_layout("study-guide", data));
