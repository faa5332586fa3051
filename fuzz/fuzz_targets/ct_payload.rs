//! libFuzzer target `ct_payload`: see `netfilter_conntrack_fuzz::ct_payload`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    netfilter_conntrack_fuzz::ct_payload(data);
    assert!(
        !netfilter_conntrack_fuzz::take_panic(),
        "the library panicked"
    );
});
