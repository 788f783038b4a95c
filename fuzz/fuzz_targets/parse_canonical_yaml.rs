//! Fuzzes the `canonical-yaml` layout's parser: no panic, errors inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| deckc_fuzz::check_layout("canonical-yaml", data));
