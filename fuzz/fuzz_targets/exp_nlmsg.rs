//! libFuzzer target `exp_nlmsg`: see `netfilter_conntrack_fuzz::exp_nlmsg`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    netfilter_conntrack_fuzz::exp_nlmsg(data);
    assert!(
        !netfilter_conntrack_fuzz::take_panic(),
        "the library panicked"
    );
});
