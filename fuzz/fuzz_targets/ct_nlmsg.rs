//! libFuzzer target `ct_nlmsg`: see `netfilter_conntrack_fuzz::ct_nlmsg`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    netfilter_conntrack_fuzz::ct_nlmsg(data);
    assert!(
        !netfilter_conntrack_fuzz::take_panic(),
        "the library panicked"
    );
});
